#!/usr/bin/env bash
# The seed tutorial with the AWS CLI, against an inspector2-local at $ENDPOINT:
# activate Inspector across an organization through a delegated administrator, then look
# at coverage, the dashboard's numbers and a critical finding. Used by `npm run demo` and
# by the demo service of docker-compose.yml. Safe to re-run against the same emulator: a step
# already done (the administrator designated, a member associated) is said and skipped.
set -euo pipefail
ENDPOINT=${ENDPOINT:-http://127.0.0.1:4566}
export AWS_DEFAULT_REGION=${AWS_DEFAULT_REGION:-eu-west-1} AWS_SECRET_ACCESS_KEY=demo AWS_EC2_METADATA_DISABLED=true
as() { local account=$1; shift; AWS_ACCESS_KEY_ID=$account aws --endpoint-url "$ENDPOINT" --output json "$@"; }
step() { printf '\n== %s\n' "$*"; }

MANAGEMENT=111111111111 ADMIN=222222222222 MEMBERS=(333333333333 444444444444)

step "The management account designates the delegated administrator"
designated=$(as $MANAGEMENT inspector2 list-delegated-admin-accounts \
  --query "length(delegatedAdminAccounts[?accountId=='$ADMIN' && status=='ENABLED'])" --output text)
if [[ $designated == 0 ]]; then
  as $MANAGEMENT inspector2 enable-delegated-admin-account --delegated-admin-account-id $ADMIN
else
  echo "$ADMIN is already the delegated administrator: skipped"
fi
as $MANAGEMENT inspector2 list-delegated-admin-accounts --query 'delegatedAdminAccounts'

step "The administrator associates the members and activates every scan type for all"
for member in "${MEMBERS[@]}"; do
  associated=$(as $ADMIN inspector2 list-members --only-associated \
    --query "length(members[?accountId=='$member' && relationshipStatus=='ENABLED'])" --output text)
  if [[ $associated == 0 ]]; then
    as $ADMIN inspector2 associate-member --account-id "$member" --query accountId
  else
    echo "$member is already an associated member: skipped"
  fi
done
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

step "Dashboard: top vulnerable packages (critical / all, summed over the accounts)"
# PACKAGE aggregation answers one row per account and package: read them all, sum per package
# (sorted by name, then each run of one name added up), then keep the five with most criticals.
as $ADMIN inspector2 list-finding-aggregations --aggregation-type PACKAGE \
  --query 'responses[].packageAggregation.[packageName,severityCounts.critical || `0`,severityCounts.all || `0`]' --output text |
  LC_ALL=C sort -t $'\t' -k1,1 | {
    name="" critical=0 all=0
    while IFS=$'\t' read -r package c a; do
      if [[ $package != "$name" ]]; then
        [[ -z $name ]] || printf '%s\t%s\t%s\n' "$name" "$critical" "$all"
        name=$package critical=0 all=0
      fi
      critical=$((critical + c)) all=$((all + a))
    done
    [[ -z $name ]] || printf '%s\t%s\t%s\n' "$name" "$critical" "$all"
  } | LC_ALL=C sort -t $'\t' -k2,2nr -k3,3nr -k1,1 | head -n 5

step "A critical finding with an exploit, in detail"
arn=$(as $ADMIN inspector2 list-findings --max-results 1 \
  --filter-criteria '{"severity":[{"comparison":"EQUALS","value":"CRITICAL"}],"exploitAvailable":[{"comparison":"EQUALS","value":"YES"}]}' \
  --sort-criteria field=INSPECTOR_SCORE,sortOrder=DESC --query 'findings[0].findingArn' --output text)
as $ADMIN inspector2 list-findings --filter-criteria "{\"findingArn\":[{\"comparison\":\"EQUALS\",\"value\":\"$arn\"}]}" \
  --query 'findings[0].{title:title,severity:severity,score:inspectorScore,resource:resources[0].id,packages:packageVulnerabilityDetails.vulnerablePackages[].[name,version,fixedInVersion]}'
as $ADMIN inspector2 batch-get-finding-details --finding-arns "$arn" --query 'findingDetails[0].{cwes:cwes,cisa:cisaData}'
