#!/usr/bin/env bash
# The seed tutorial with the AWS CLI, against an inspector2-local at $ENDPOINT:
# activate Inspector across an organization through a delegated administrator, then look
# at coverage, the dashboard's numbers and a critical finding. Used by `npm run demo` and
# by the demo service of docker-compose.yml.
set -euo pipefail
ENDPOINT=${ENDPOINT:-http://127.0.0.1:4566}
export AWS_DEFAULT_REGION=${AWS_DEFAULT_REGION:-eu-west-1} AWS_SECRET_ACCESS_KEY=demo AWS_EC2_METADATA_DISABLED=true
as() { local account=$1; shift; AWS_ACCESS_KEY_ID=$account aws --endpoint-url "$ENDPOINT" --output json "$@"; }
step() { printf '\n== %s\n' "$*"; }

MANAGEMENT=111111111111 ADMIN=222222222222 MEMBERS=(333333333333 444444444444)

step "The management account designates the delegated administrator"
as $MANAGEMENT inspector2 enable-delegated-admin-account --delegated-admin-account-id $ADMIN
as $MANAGEMENT inspector2 list-delegated-admin-accounts --query 'delegatedAdminAccounts'

step "The administrator associates the members and activates every scan type for all"
for member in "${MEMBERS[@]}"; do as $ADMIN inspector2 associate-member --account-id "$member" --query accountId; done
as $ADMIN inspector2 enable --account-ids $ADMIN "${MEMBERS[@]}" --resource-types EC2 ECR LAMBDA LAMBDA_CODE \
  --query 'accounts[].[accountId,status]' --output text
as $ADMIN inspector2 update-organization-configuration --auto-enable ec2=true,ecr=true,lambda=true --query autoEnable

step "Account status (the transitions complete at the next request)"
as $ADMIN inspector2 batch-get-account-status --account-ids $ADMIN "${MEMBERS[@]}" --query 'accounts[].[accountId,state.status]' --output text

step "Coverage by scan status"
as $ADMIN inspector2 list-coverage --query 'coveredResources[].[accountId,resourceType,scanType,scanStatus.reason]' --output text | sort | uniq -c

step "Dashboard: findings per account (critical / high / all)"
as $ADMIN inspector2 list-finding-aggregations --aggregation-type ACCOUNT \
  --query 'responses[].accountAggregation.[accountId,severityCounts.critical,severityCounts.high,severityCounts.all]' --output text

step "Dashboard: top vulnerable packages"
as $ADMIN inspector2 list-finding-aggregations --aggregation-type PACKAGE --max-results 5 \
  --query 'responses[].packageAggregation.[packageName,severityCounts.critical,severityCounts.all]' --output text

step "A critical finding with an exploit, in detail"
arn=$(as $ADMIN inspector2 list-findings --max-results 1 \
  --filter-criteria '{"severity":[{"comparison":"EQUALS","value":"CRITICAL"}],"exploitAvailable":[{"comparison":"EQUALS","value":"YES"}]}' \
  --sort-criteria field=INSPECTOR_SCORE,sortOrder=DESC --query 'findings[0].findingArn' --output text)
as $ADMIN inspector2 list-findings --filter-criteria "{\"findingArn\":[{\"comparison\":\"EQUALS\",\"value\":\"$arn\"}]}" \
  --query 'findings[0].{title:title,severity:severity,score:inspectorScore,resource:resources[0].id,packages:packageVulnerabilityDetails.vulnerablePackages[].[name,version,fixedInVersion]}'
as $ADMIN inspector2 batch-get-finding-details --finding-arns "$arn" --query 'findingDetails[0].{cwes:cwes,cisa:cisaData}'
