# The bench's user-level row: what a boto3 test suite feels. 1,000 calls of the operations
# that inspector2-local and moto_server both answer, in a fixed mix, through one boto3 client
# (which keeps its connections alive, as boto3 does). Prints one JSON line: the wall time and
# the calls that raised, by operation.
#
#   python3 bench/user-row.py http://127.0.0.1:4566 [calls]
import json
import sys
import time

import boto3
from botocore.config import Config

endpoint = sys.argv[1]
calls = int(sys.argv[2]) if len(sys.argv) > 2 else 1000



def client_of(account):
    return boto3.client(
        'inspector2',
        endpoint_url=endpoint,
        region_name='us-east-1',
        aws_access_key_id=account,
        aws_secret_access_key='bench',
        config=Config(retries={'max_attempts': 1}),
    )


# The default world's organization: its management account names the delegated administrator,
# whose view (members, delegated admins, findings) the calls then ask for.
management = client_of('111111111111')
client = management

errors = {}


def call(operation, via=None, **kwargs):
    try:
        return getattr(via or client, operation)(**kwargs)
    except Exception as error:  # a refused call still costs its round trip; it is counted
        key = f'{operation}: {type(error).__name__}'
        errors[key] = errors.get(key, 0) + 1
        return None


def mix(i):
    # 10 calls a round: reads dominate, as in a test suite checking state after a few writes.
    step = i % 10
    if step == 0:
        call('create_filter', name=f'bench-{i}', action='NONE', filterCriteria={'severity': [{'comparison': 'EQUALS', 'value': 'HIGH'}]})
    elif step == 1:
        call('list_filters')
    elif step == 2:
        call('batch_get_account_status', accountIds=['123456789012'])
    elif step == 3:
        call('list_findings', maxResults=10)
    elif step == 4:
        call('list_members')
    elif step == 5:
        call('list_delegated_admin_accounts', via=management)  # the management account's question
    elif step == 6:
        found = call('list_filters')
        arns = [f['arn'] for f in (found or {}).get('filters', []) if f['name'] == f'bench-{i - 6}']
        if arns:
            call('tag_resource', resourceArn=arns[0], tags={'round': str(i // 10)})
            call('list_tags_for_resource', resourceArn=arns[0])
        else:
            call('list_filters')
            call('list_filters')
    elif step == 7:
        call('list_findings', maxResults=10, filterCriteria={'severity': [{'comparison': 'EQUALS', 'value': 'CRITICAL'}]})
    elif step == 8:
        found = call('list_filters')
        arns = [f['arn'] for f in (found or {}).get('filters', []) if f['name'] == f'bench-{i - 8}']
        call('delete_filter', arn=arns[0]) if arns else call('list_filters')


# Set-up, not timed: the delegated administrator is named and enabled; both servers then
# answer the same questions.
call('enable_delegated_admin_account', delegatedAdminAccountId='222222222222')
client = client_of('222222222222')
call('enable', accountIds=['222222222222'], resourceTypes=['EC2', 'ECR', 'LAMBDA'])
errors.clear()

started = time.perf_counter()
done = 0
i = 0
while done < calls:
    mix(i)
    # tag_resource + list_tags_for_resource make step 6 two calls (three with list_filters)
    done += 3 if i % 10 == 6 else 2 if i % 10 == 8 else 1
    i += 1
seconds = time.perf_counter() - started
print(json.dumps({'calls': done, 'seconds': round(seconds, 3), 'errors': errors}))
