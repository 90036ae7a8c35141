// ListFindingAggregations, the query engine's aggregations: the caller's visible findings
// (as ListFindings sees them), ACTIVE ones only, grouped by the aggregation type's key
// (account, AMI, instance, image, function, package, ...) with their severity counts and the
// type's other counts.
//
// A request member's filters become FilterCriteria for the query engine where they are
// about the finding (resource ids, repositories, tags, dates, ...); those about a group that
// one finding can belong to several of (a package name, an image layer, a Lambda layer, the
// instance's operating system) are matched against the group's value. Groups are per
// account too, as each response member names one account. They are sorted by the requested
// count, then by the group's key ascending (one orderKey, paging.ts), and paged by that
// position; the token names the type and the order.
import type { components } from '../../../openapi/inspector2.js';
import type { Caller } from '../world.js';
import type { Finding } from './documents.js';
import { matchString, visibleAccountRegions } from './engine.js';
import { descending, orderKey, pageByKey, pageSize, type Page, type PageRequest } from './paging.js';
import { visibleFindings } from './query.js';
import type { World } from '../world.js';

type Shapes = components['schemas'];

type AggregationType = Shapes['AggregationType'];
type Member = Extract<keyof Shapes['AggregationRequest'], keyof Shapes['AggregationResponse']>;
type RequestOf<M extends Member> = NonNullable<Shapes['AggregationRequest'][M]>;
type ResponseOf<M extends Member> = NonNullable<Shapes['AggregationResponse'][M]>;
type StringFilters = Shapes['StringFilter'][] | undefined;

/** The request and response member of each aggregation type. */
const MEMBERS = {
  ACCOUNT: 'accountAggregation',
  AMI: 'amiAggregation',
  AWS_EC2_INSTANCE: 'ec2InstanceAggregation',
  AWS_ECR_CONTAINER: 'awsEcrContainerAggregation',
  AWS_LAMBDA_FUNCTION: 'lambdaFunctionAggregation',
  CODE_REPOSITORY: 'codeRepositoryAggregation',
  FINDING_TYPE: 'findingTypeAggregation',
  IMAGE_LAYER: 'imageLayerAggregation',
  LAMBDA_LAYER: 'lambdaLayerAggregation',
  PACKAGE: 'packageAggregation',
  REPOSITORY: 'repositoryAggregation',
  TITLE: 'titleAggregation',
} as const satisfies Record<AggregationType, Member>;

/** The model's response list has no maximum: pages default to 50, and maxResults (1..100) is checked by the model. */
const DEFAULT_PAGE = 50;

interface Aggregation<M extends Member> {
  /** The request's filters about the finding itself, for the query engine. */
  criteria(request: RequestOf<M>): Shapes['FilterCriteria'];
  /** The groups a finding counts in, each as the parts of its key; the request's group-level filters applied. */
  groups(finding: Finding, request: RequestOf<M>): string[][];
  /** A group's response member, from its key parts and its ACTIVE findings. */
  respond(parts: string[], findings: Finding[]): ResponseOf<M>;
}

const equals = (value: string | undefined): StringFilters => (value === undefined ? undefined : [{ comparison: 'EQUALS', value }]);
const count = (findings: Finding[], test: (f: Finding) => boolean): number => {
  let n = 0;
  for (const finding of findings) if (test(finding)) n++;
  return n;
};
const distinct = <T>(values: (T | undefined)[]): T[] => [...new Set(values.filter((v): v is T => v !== undefined))];
const passes = (value: string | undefined, filters: StringFilters): boolean => !filters?.length || matchString([value], filters);
/** Members whose value is undefined left out. */
const defined = <T extends object>(value: T): T => Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined)) as T;

function severityCounts(findings: Finding[]): Shapes['SeverityCounts'] {
  let medium = 0;
  let high = 0;
  let critical = 0;
  for (const { severity } of findings) {
    if (severity === 'MEDIUM') medium++;
    else if (severity === 'HIGH') high++;
    else if (severity === 'CRITICAL') critical++;
  }
  return { all: findings.length, medium, high, critical };
}

type Resource = Finding['resources'][number];
const resourceOf = (finding: Finding, type: Resource['type']): Resource | undefined => finding.resources.find((r) => r.type === type);
const ec2 = (f: Finding) => resourceOf(f, 'AWS_EC2_INSTANCE');
const ecr = (f: Finding) => resourceOf(f, 'AWS_ECR_CONTAINER_IMAGE');
const lambda = (f: Finding) => resourceOf(f, 'AWS_LAMBDA_FUNCTION');
const code = (f: Finding) => resourceOf(f, 'CODE_REPOSITORY');
const packages = (f: Finding) => f.packageVulnerabilityDetails?.vulnerablePackages ?? [];
/** A list of vulnerable packages' distinct names; kept per list, as findings share their lists (frozen). */
const packageNames = new WeakMap<object, string[]>();
const namesOf = (list: ReturnType<typeof packages>): string[] => {
  let names = packageNames.get(list);
  if (!names) {
    names = distinct(list.map((p) => p.name));
    if (Object.isFrozen(list)) packageNames.set(list, names);
  }
  return names;
};
const exploitable = (f: Finding) => f.exploitAvailable === 'YES';
const fixable = (f: Finding) => f.fixAvailable === 'YES';

const byAccount = (request: { findingType?: Shapes['AggregationFindingType']; resourceType?: Shapes['AggregationResourceType'] }) => ({
  findingType: equals(request.findingType),
  resourceType: equals(request.resourceType),
});
const accountCounts = ([accountId]: string[], findings: Finding[]) => ({
  accountId: accountId!,
  severityCounts: severityCounts(findings),
  exploitAvailableCount: count(findings, exploitable),
  fixAvailableCount: count(findings, fixable),
});

const AGGREGATIONS: { [T in AggregationType]: Aggregation<(typeof MEMBERS)[T]> } = {
  ACCOUNT: {
    criteria: byAccount,
    groups: (f) => [[f.awsAccountId]],
    respond: accountCounts,
  },
  // The response names no finding type: one group per account, of the requested type.
  FINDING_TYPE: {
    criteria: byAccount,
    groups: (f) => [[f.awsAccountId]],
    respond: accountCounts,
  },
  AMI: {
    criteria: (r) => ({ resourceType: equals('AWS_EC2_INSTANCE'), ec2InstanceImageId: r.amis }),
    groups: (f) => {
      const ami = ec2(f)?.details?.awsEc2Instance?.imageId;
      return ami ? [[ami, f.awsAccountId]] : [];
    },
    respond: ([ami, accountId], findings) => ({
      ami: ami!,
      accountId: accountId!,
      severityCounts: severityCounts(findings),
      affectedInstances: distinct(findings.map((f) => ec2(f)?.id)).length,
    }),
  },
  AWS_EC2_INSTANCE: {
    criteria: (r) => ({ resourceType: equals('AWS_EC2_INSTANCE'), ec2InstanceImageId: r.amis, resourceId: r.instanceIds, resourceTags: r.instanceTags }),
    groups: (f, r) => {
      const instance = ec2(f);
      if (!instance || !passes(instance.details?.awsEc2Instance?.platform, r.operatingSystems)) return [];
      return [[instance.id, f.awsAccountId]];
    },
    respond: ([instanceId, accountId], findings) => {
      const instance = ec2(findings[0]!)!;
      return defined({
        instanceId: instanceId!,
        ami: instance.details?.awsEc2Instance?.imageId,
        operatingSystem: instance.details?.awsEc2Instance?.platform,
        instanceTags: instance.tags,
        accountId: accountId!,
        severityCounts: severityCounts(findings),
        networkFindings: count(findings, (f) => f.type === 'NETWORK_REACHABILITY'),
      });
    },
  },
  AWS_ECR_CONTAINER: {
    criteria: (r) => ({
      resourceType: equals('AWS_ECR_CONTAINER_IMAGE'),
      resourceId: r.resourceIds,
      ecrImageHash: r.imageShas,
      ecrImageRepositoryName: r.repositories,
      ecrImageArchitecture: r.architectures,
      ecrImageTags: r.imageTags,
      ecrImageLastInUseAt: r.lastInUseAt,
      ecrImageInUseCount: r.inUseCount,
    }),
    groups: (f) => {
      const image = ecr(f);
      return image ? [[image.id, f.awsAccountId]] : [];
    },
    respond: ([resourceId, accountId], findings) => {
      const image = ecr(findings[0]!)!.details?.awsEcrContainerImage;
      return defined({
        resourceId: resourceId!,
        imageSha: image?.imageHash,
        repository: image?.repositoryName,
        architecture: image?.architecture,
        imageTags: image?.imageTags,
        accountId: accountId!,
        severityCounts: severityCounts(findings),
        lastInUseAt: image?.lastInUseAt,
        inUseCount: image?.inUseCount,
      });
    },
  },
  IMAGE_LAYER: {
    criteria: (r) => ({ resourceType: equals('AWS_ECR_CONTAINER_IMAGE'), ecrImageRepositoryName: r.repositories, resourceId: r.resourceIds }),
    groups: (f, r) => {
      const image = ecr(f);
      const repository = image?.details?.awsEcrContainerImage?.repositoryName;
      if (!image || !repository) return [];
      return distinct(packages(f).map((p) => p.sourceLayerHash))
        .filter((hash) => passes(hash, r.layerHashes))
        .map((hash) => [repository, image.id, hash, f.awsAccountId]);
    },
    respond: ([repository, resourceId, layerHash, accountId], findings) => ({
      repository: repository!,
      resourceId: resourceId!,
      layerHash: layerHash!,
      accountId: accountId!,
      severityCounts: severityCounts(findings),
    }),
  },
  REPOSITORY: {
    criteria: (r) => ({ resourceType: equals('AWS_ECR_CONTAINER_IMAGE'), ecrImageRepositoryName: r.repositories }),
    groups: (f) => {
      const repository = ecr(f)?.details?.awsEcrContainerImage?.repositoryName;
      return repository ? [[repository, f.awsAccountId]] : [];
    },
    respond: ([repository, accountId], findings) => ({
      repository: repository!,
      accountId: accountId!,
      severityCounts: severityCounts(findings),
      affectedImages: distinct(findings.map((f) => ecr(f)?.id)).length,
    }),
  },
  PACKAGE: {
    criteria: () => ({}),
    groups: (f, r) => {
      const list = packages(f);
      // Most findings name one package: no set for those.
      if (list.length === 1) return passes(list[0]!.name, r.packageNames) ? [[list[0]!.name, f.awsAccountId]] : [];
      return namesOf(list)
        .filter((name) => passes(name, r.packageNames))
        .map((name) => [name, f.awsAccountId]);
    },
    respond: ([packageName, accountId], findings) => ({ packageName: packageName!, accountId: accountId!, severityCounts: severityCounts(findings) }),
  },
  TITLE: {
    criteria: (r) => ({ title: r.titles, vulnerabilityId: r.vulnerabilityIds, resourceType: equals(r.resourceType), findingType: equals(r.findingType) }),
    groups: (f) => (f.title ? [[f.title, f.awsAccountId]] : []),
    respond: ([title, accountId], findings) =>
      defined({
        title: title!,
        vulnerabilityId: findings.map((f) => f.packageVulnerabilityDetails?.vulnerabilityId).find((id) => id !== undefined),
        accountId: accountId!,
        severityCounts: severityCounts(findings),
      }),
  },
  AWS_LAMBDA_FUNCTION: {
    criteria: (r) => ({
      resourceType: equals('AWS_LAMBDA_FUNCTION'),
      resourceId: r.resourceIds,
      lambdaFunctionName: r.functionNames,
      lambdaFunctionRuntime: r.runtimes,
      resourceTags: r.functionTags,
    }),
    groups: (f) => {
      const fn = lambda(f);
      return fn ? [[fn.id, f.awsAccountId]] : [];
    },
    respond: ([resourceId, accountId], findings) => {
      const fn = lambda(findings[0]!)!;
      const details = fn.details?.awsLambdaFunction;
      return defined({
        resourceId: resourceId!,
        functionName: details?.functionName,
        runtime: details?.runtime,
        lambdaTags: fn.tags,
        accountId: accountId!,
        severityCounts: severityCounts(findings),
        lastModifiedAt: details?.lastModifiedAt,
      });
    },
  },
  LAMBDA_LAYER: {
    criteria: (r) => ({ resourceType: equals('AWS_LAMBDA_FUNCTION'), lambdaFunctionName: r.functionNames, resourceId: r.resourceIds }),
    groups: (f, r) => {
      const fn = lambda(f);
      const name = fn?.details?.awsLambdaFunction?.functionName;
      if (!fn || !name) return [];
      return distinct(packages(f).map((p) => p.sourceLambdaLayerArn))
        .filter((arn) => passes(arn, r.layerArns))
        .map((arn) => [name, fn.id, arn, f.awsAccountId]);
    },
    respond: ([functionName, resourceId, layerArn, accountId], findings) => ({
      functionName: functionName!,
      resourceId: resourceId!,
      layerArn: layerArn!,
      accountId: accountId!,
      severityCounts: severityCounts(findings),
    }),
  },
  CODE_REPOSITORY: {
    criteria: (r) => ({
      resourceType: equals('CODE_REPOSITORY'),
      codeRepositoryProjectName: r.projectNames,
      codeRepositoryProviderType: r.providerTypes,
      resourceId: r.resourceIds,
    }),
    groups: (f) => {
      const repository = code(f);
      return repository ? [[repository.id, f.awsAccountId]] : [];
    },
    respond: ([resourceId, accountId], findings) => {
      const details = code(findings[0]!)!.details?.codeRepository;
      return defined({
        projectNames: details?.projectName ?? resourceId!,
        providerType: details?.providerType,
        severityCounts: severityCounts(findings),
        exploitAvailableActiveFindingsCount: count(findings, exploitable),
        fixAvailableActiveFindingsCount: count(findings, fixable),
        accountId: accountId!,
        resourceId: resourceId!,
      });
    },
  },
};

type SortBy = NonNullable<RequestOf<Member>['sortBy']>;
interface Counted {
  severityCounts?: Shapes['SeverityCounts'];
  affectedInstances?: number;
  affectedImages?: number;
  networkFindings?: number;
}
const SORT_VALUE: Record<SortBy, (response: Counted) => number> = {
  ALL: (r) => r.severityCounts?.all ?? 0,
  CRITICAL: (r) => r.severityCounts?.critical ?? 0,
  HIGH: (r) => r.severityCounts?.high ?? 0,
  AFFECTED_INSTANCES: (r) => r.affectedInstances ?? 0,
  AFFECTED_IMAGES: (r) => r.affectedImages ?? 0,
  NETWORK_FINDINGS: (r) => r.networkFindings ?? 0,
};
const DEFAULT_SORT_BY: SortBy = 'CRITICAL';
interface Row {
  sortKey: string;
  response: ResponseOf<Member>;
}

interface Group {
  parts: string[];
  findings: Finding[];
}
type GroupTree = Map<string, GroupTree | Group>;

/** The latest answers, by question and the revisions of the findings they read (a dashboard asks the same again). */
const CACHE_SIZE = 32;
const answersByWorld = new WeakMap<World, Map<string, Row[]>>();

function cached(world: World, key: string, compute: () => Row[]): Row[] {
  let answers = answersByWorld.get(world);
  if (!answers) answersByWorld.set(world, (answers = new Map<string, Row[]>()));
  let rows = answers.get(key);
  if (!rows) {
    rows = compute();
    if (answers.size >= CACHE_SIZE) answers.delete(answers.keys().next().value!);
    answers.set(key, rows);
  }
  return rows;
}

/** The request member an aggregation type takes (and its response names). */
export function aggregationMember(type: AggregationType): Member {
  return MEMBERS[type];
}

export interface AggregationQuery extends PageRequest {
  aggregationType: AggregationType;
  aggregationRequest?: Shapes['AggregationRequest'];
  accountIds?: Shapes['StringFilter'][];
}

/** A page of the aggregation's groups, each as its response member. The request member must be the type's (the caller checks). */
export function listFindingAggregations(world: World, caller: Caller, query: AggregationQuery): Page<Shapes['AggregationResponse']> {
  const type = query.aggregationType;
  const member = MEMBERS[type];
  // Each entry is typed by its own member; here they are used through the one they all share.
  const aggregation = AGGREGATIONS[type] as unknown as Aggregation<Member>;
  const request = (query.aggregationRequest?.[member] ?? {}) as RequestOf<Member>;

  const sortBy = request.sortBy ?? DEFAULT_SORT_BY;
  const sortOrder = request.sortOrder ?? 'DESC';
  // The same question over the same findings (no account-region changed since) has the same answer.
  const states = visibleAccountRegions(world, caller.accountId, caller.region);
  const cacheKey = JSON.stringify([type, request, query.accountIds, states.map((s) => [s.findings.id, s.findings.revision])]);
  const rows = cached(world, cacheKey, () => {
    const criteria: Shapes['FilterCriteria'] = {
      ...aggregation.criteria(request),
      findingStatus: [{ comparison: 'EQUALS', value: 'ACTIVE' }],
      awsAccountId: query.accountIds,
    };
    // Groups in nested maps, one level per key part: the parts are strings the findings share
    // (an account id, a package name, a title), whose hashes are kept, where a joined key
    // would be a new string to build and hash for every finding.
    const groups: Group[] = [];
    const root: GroupTree = new Map();
    for (const finding of visibleFindings(world, caller.accountId, caller.region, criteria)) {
      for (const parts of aggregation.groups(finding, request)) {
        let node = root;
        for (let i = 0; i < parts.length - 1; i++) {
          let next = node.get(parts[i]!) as GroupTree | undefined;
          if (!next) node.set(parts[i]!, (next = new Map()));
          node = next;
        }
        const last = parts[parts.length - 1]!;
        const group = node.get(last) as Group | undefined;
        // A finding lands in a group once, even when several of its parts lead there (they come one after another).
        if (!group) {
          const created = { parts, findings: [finding] };
          node.set(last, created);
          groups.push(created);
        } else if (group.findings[group.findings.length - 1] !== finding) group.findings.push(finding);
      }
    }

    const valueOf = SORT_VALUE[sortBy];
    return groups.map((group) => {
      const response = aggregation.respond(group.parts, group.findings);
      const value = valueOf(response);
      // The count in the requested direction, then the group's key ascending.
      return { sortKey: orderKey([sortOrder === 'DESC' ? descending(value) : value, ...group.parts]), response };
    });
  });
  // The token holds the last row's place in this order: a token of another type or order is refused.
  const page = pageByKey({ op: `ListFindingAggregations(${type}, ${sortBy} ${sortOrder})` }, rows, (row) => row.sortKey, query, pageSize(query, DEFAULT_PAGE));
  return { items: page.items.map((row): Shapes['AggregationResponse'] => ({ [member]: row.response })), nextToken: page.nextToken };
}
