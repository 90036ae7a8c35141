// Version ordering per ecosystem and affected-range matching. Expected orders come from the
// tools themselves (dpkg, rpm's rpmvercmp tests, the semver spec, Go's pseudo-version rules,
// Maven's ComparableVersionTest, pip's packaging, Gem::Version).
import { describe, expect, it } from 'vitest';
import type { Ecosystem } from '../../src/world/scanning/ecosystems.js';
import { compareVersions, isAffected, isValidVersion, splitOsVersion, withEpoch } from '../../src/world/scanning/versions.js';

/** Every pair compares strictly ascending in both directions, and sorting the reversed list restores it. */
function expectAscending(ecosystem: Ecosystem, versions: readonly string[]): void {
  for (let i = 0; i < versions.length; i++) {
    for (let j = i + 1; j < versions.length; j++) {
      const lower = versions[i] as string;
      const higher = versions[j] as string;
      expect(compareVersions(ecosystem, lower, higher), `${lower} < ${higher}`).toBe(-1);
      expect(compareVersions(ecosystem, higher, lower), `${higher} > ${lower}`).toBe(1);
    }
  }
  expect([...versions].reverse().sort((a, b) => compareVersions(ecosystem, a, b))).toEqual(versions);
}

function expectEquivalent(ecosystem: Ecosystem, ...versions: string[]): void {
  for (const a of versions) {
    for (const b of versions) expect(compareVersions(ecosystem, a, b), `${a} == ${b}`).toBe(0);
  }
}

describe('dpkg ordering', () => {
  it('sorts ~ before everything, even the end of the string', () => {
    expectAscending('dpkg', ['1.0~~', '1.0~~a', '1.0~', '1.0', '1.0a', '1.0+', '1.0.1']);
    expectAscending('dpkg', ['2.0~rc1', '2.0~rc2', '2.0']);
  });

  it('sorts letters before non-letters', () => {
    expectAscending('dpkg', ['1.0a', '1.0z', '1.0+', '1.0.']);
  });

  it('compares digit runs by value, ignoring leading zeros', () => {
    expectAscending('dpkg', ['1.2', '1.9', '1.10', '1.100']);
    expectEquivalent('dpkg', '1.001', '1.1', '1.01');
  });

  it('takes a missing epoch as 0 and compares the epoch first', () => {
    expectEquivalent('dpkg', '0:1.0-1', '1.0-1');
    expectAscending('dpkg', ['9.9-9', '1:0.1', '1:99', '2:0']);
  });

  it('splits the revision at the last hyphen', () => {
    // Upstream 1.2.3-4 is newer than upstream 1.2.3, whatever the revisions.
    expectAscending('dpkg', ['1.2.3-5', '1.2.3-4-1', '1.2.3-4-2']);
  });

  it('compares the revision only when the upstream versions are equal', () => {
    expectAscending('dpkg', ['1.9-99', '1.10-1']);
    expectAscending('dpkg', ['1.2-3~bpo1', '1.2-3', '1.2-3+deb11u1', '1.2-3.1']);
  });

  it('treats a missing revision like revision 0', () => {
    expectEquivalent('dpkg', '1.0', '1.0-0');
    expectAscending('dpkg', ['1.0', '1.0-1']);
  });

  it('orders real Debian and Ubuntu security updates', () => {
    expectAscending('dpkg', ['1.1.1n-0+deb11u4', '1.1.1n-0+deb11u5', '1.1.1w-0+deb11u1', '3.0.11-1~deb12u2']);
    expectAscending('dpkg', ['2.35-0ubuntu3.1', '2.35-0ubuntu3.6', '2.35-0ubuntu3.10', '1:2.35-0ubuntu1']);
  });
});

describe('rpm ordering', () => {
  it('sorts ~ before everything, even the end of the string', () => {
    expectAscending('rpm', ['1.0~rc1~git123', '1.0~rc1', '1.0~rc2', '1.0']);
  });

  it('sorts ^ after the end of the string but before any further segment (rpm >= 4.15)', () => {
    expectAscending('rpm', ['1.0', '1.0^git1~pre', '1.0^git1', '1.0^git2', '1.0^20160101', '1.0.1']);
    expectAscending('rpm', ['1.0~rc1', '1.0~rc1^git1', '1.0']);
  });

  it('counts a numeric segment newer than an alphabetic one', () => {
    expectAscending('rpm', ['1.0.a', '1.0.1']);
    expectAscending('rpm', ['xyz.4', '2']);
    expectAscending('rpm', ['10a1', '10b2']);
  });

  it('lets the version with segments left over win', () => {
    expectAscending('rpm', ['2.0', '2.0.1', '2.0.1a']);
    expectAscending('rpm', ['6.0', '6.0.rc1']);
  });

  it('ignores leading zeros and the choice of separator', () => {
    expectEquivalent('rpm', '10.0001', '10.1', '10_1', '10..1');
    expectAscending('rpm', ['10.0001', '10.0039']);
  });

  it('compares the epoch first, a missing epoch being 0', () => {
    expectEquivalent('rpm', '0:1.0-1', '1.0-1');
    expectAscending('rpm', ['9.9-9', '1:1.0-1', '2:0.1-1']);
  });

  it('compares the release after the version, splitting at the hyphen', () => {
    expectAscending('rpm', ['1.9-99.el8', '1.10-1.el8']);
    expectAscending('rpm', ['1.2-3.el8_5', '1.2-3.el8_6', '1.2-9.el8', '1.2-10.el8']);
  });

  it('sorts a missing release before any release', () => {
    expectAscending('rpm', ['1.0', '1.0-0', '1.0-1']);
  });

  it('orders real Amazon Linux updates', () => {
    expectAscending('rpm', ['1:1.0.2k-24.amzn2.0.6', '1:1.0.2k-24.amzn2.0.7', '1:1.0.2k-25.amzn2.0.1']);
  });
});

describe('npm ordering', () => {
  it('follows the semver 2.0 precedence example', () => {
    expectAscending('npm', ['1.0.0-alpha', '1.0.0-alpha.1', '1.0.0-alpha.beta', '1.0.0-beta', '1.0.0-beta.2', '1.0.0-beta.11', '1.0.0-rc.1', '1.0.0']);
  });

  it('compares major, minor and patch as numbers', () => {
    expectAscending('npm', ['1.9.0', '1.10.0', '9.99.99', '10.0.0']);
  });

  it('sorts a prerelease before its release but after the previous release', () => {
    expectAscending('npm', ['1.2.3', '1.2.4-alpha.0', '1.2.4']);
  });

  it('compares numeric identifiers by value and before alphanumeric ones', () => {
    expectAscending('npm', ['1.0.0-2', '1.0.0-10', '1.0.0-alpha']);
    expectAscending('npm', ['1.0.0-beta.9', '1.0.0-beta.10', '1.0.0-beta.x']);
  });

  it('compares alphanumeric identifiers in ASCII order', () => {
    expectAscending('npm', ['1.0.0-Beta', '1.0.0-alpha', '1.0.0-beta']);
  });

  it('lets more prerelease identifiers win when the shared ones are equal', () => {
    expectAscending('npm', ['1.0.0-alpha', '1.0.0-alpha.0', '1.0.0-alpha.0.0']);
  });

  it('ignores build metadata', () => {
    expectEquivalent('npm', '1.0.0', '1.0.0+build.1', '1.0.0+exp.sha.5114f85');
    expectEquivalent('npm', '1.0.0-rc.1+a', '1.0.0-rc.1+b');
  });

  it('accepts a leading v leniently', () => {
    expectEquivalent('npm', 'v1.2.3', '1.2.3');
    expectAscending('npm', ['v1.2.3', '1.2.4']);
  });
});

describe('go ordering', () => {
  it('treats a v0.0.0 pseudo-version as a prerelease of v0.0.0', () => {
    expectAscending('go', ['v0.0.0-20210101000000-abcdef123456', 'v0.0.0', 'v0.0.1']);
  });

  it('orders pseudo-versions of the same base by timestamp', () => {
    expectAscending('go', ['v0.0.0-20190101000000-ffffffffffff', 'v0.0.0-20210101000000-000000000000', 'v0.0.0-20210102000000-aaaaaaaaaaaa']);
  });

  it('puts a vX.Y.(Z+1)-0.timestamp pseudo-version after vX.Y.Z and before any prerelease of vX.Y.(Z+1)', () => {
    expectAscending('go', ['v1.2.3', 'v1.2.4-0.20210101000000-abcdef123456', 'v1.2.4-alpha', 'v1.2.4']);
  });

  it('puts a vX.Y.Z-pre.0.timestamp pseudo-version just after its prerelease', () => {
    expectAscending('go', ['v1.2.4-pre', 'v1.2.4-pre.0.20210101000000-abcdef123456', 'v1.2.4-pre.1', 'v1.2.4']);
  });

  it('compares prerelease identifiers as semver does', () => {
    expectAscending('go', ['v1.0.0-rc.1', 'v1.0.0-rc.2', 'v1.0.0-rc.10', 'v1.0.0']);
  });

  it('compares major, minor and patch as numbers', () => {
    expectAscending('go', ['v1.9.0', 'v1.10.0', 'v2.0.0']);
  });

  it('ignores +incompatible and other build metadata', () => {
    expectEquivalent('go', 'v2.0.0+incompatible', 'v2.0.0');
    expectAscending('go', ['v1.9.9', 'v2.0.0+incompatible', 'v2.0.1+incompatible']);
  });

  it('reads the shorthands v1 and v1.2 as x/mod/semver does', () => {
    expectEquivalent('go', 'v1', 'v1.0', 'v1.0.0');
    expectEquivalent('go', 'v1.2', 'v1.2.0');
  });
});

describe('maven ordering', () => {
  it('orders betas, release candidates, releases and patches', () => {
    expectAscending('maven', ['2.0-beta9', '2.0-rc1', '2.0', '2.0.1']);
    expectAscending('maven', ['2.14.1', '2.15.0']);
  });

  it('orders the known qualifiers alpha < beta < milestone < rc < snapshot < release < sp', () => {
    expectAscending('maven', ['1-alpha', '1-beta', '1-milestone', '1-rc', '1-SNAPSHOT', '1', '1-sp']);
  });

  it('reads the aliases cr = rc, ga = final = release = "" and a1/b1/m1, case-insensitively', () => {
    expectEquivalent('maven', '1.0-cr1', '1.0-rc1', '1.0-RC-1', '1.0.RC1');
    expectEquivalent('maven', '1', '1-ga', '1.Final', '1.RELEASE');
    expectEquivalent('maven', '1.0-alpha1', '1.0-alpha-1', '1.0a1', '1.0-ALPHA1');
    expectEquivalent('maven', '1b2', '1-beta-2');
    expectEquivalent('maven', '1m3', '1-milestone-3');
  });

  it('ignores trailing zeros', () => {
    expectEquivalent('maven', '1', '1.0', '1.0.0', '1-0', '1.0-0');
    expectEquivalent('maven', '1a', '1-a', '1.0-a', '1.0.0a');
  });

  it('ranks a hyphenated number below a dotted one (1-1 < 1.1)', () => {
    expectAscending('maven', ['1', '1-1', '1.1']);
    expectAscending('maven', ['1.0', '1.0-1', '1.0-2', '1.0.1']);
  });

  it('sorts unknown qualifiers after the known ones, lexically, and below numbers', () => {
    expectAscending('maven', ['1', '1-sp', '1-abc', '1-def', '1-1']);
    expectAscending('maven', ['2.0.1', '2.0.1-klm', '2.0.1-lmn', '2.0.1-123']);
  });

  it('treats .X like -X for qualifiers (MNG-7644) and ranks final below sp (MNG-7714)', () => {
    expectAscending('maven', ['1.0.0.RC1', '1.0.0-RC2']);
    expectEquivalent('maven', '2-RC', '2.0.RC', '2.0.0.RC');
    expectAscending('maven', ['1.0.final-redhat', '1.0-sp1-redhat']);
  });

  it('compares numbers of any size', () => {
    expectAscending('maven', ['20190126.230843', '1234567890.12345', '123456789012345.1', '12345678901234567890.1']);
  });

  it("agrees with Maven's own ComparableVersionTest orderings", () => {
    expectAscending('maven', [
      '1-alpha2snapshot',
      '1-alpha2',
      '1-alpha-123',
      '1-beta-2',
      '1-beta123',
      '1-m2',
      '1-m11',
      '1-rc',
      '1-cr2',
      '1-rc123',
      '1-SNAPSHOT',
      '1',
      '1-sp',
      '1-sp2',
      '1-sp123',
      '1-abc',
      '1-def',
      '1-pom-1',
      '1-1-snapshot',
      '1-1',
      '1-2',
      '1-123',
    ]);
    expectAscending('maven', [
      '2.0',
      '2.0.a',
      '2-1',
      '2.0.2',
      '2.0.123',
      '2.1.0',
      '2.1-a',
      '2.1b',
      '2.1-c',
      '2.1-1',
      '2.1.0.1',
      '2.2',
      '2.123',
      '11.a2',
      '11.a11',
      '11.b2',
      '11.b11',
      '11.m2',
      '11.m11',
      '11',
      '11.a',
      '11b',
      '11c',
      '11m',
    ]);
  });
});

describe('pypi ordering', () => {
  it('orders dev < alpha < beta < rc < final < post', () => {
    expectAscending('pypi', ['1.0.dev1', '1.0a1', '1.0b1', '1.0rc1', '1.0', '1.0.post1']);
  });

  it('compares the epoch first', () => {
    expectAscending('pypi', ['2.0', '99.0', '1!0.1', '1!1.0', '2!0.0.dev1']);
    expectEquivalent('pypi', '0!1.0', '1.0');
  });

  it('ignores trailing zeros in the release segment', () => {
    expectEquivalent('pypi', '1', '1.0', '1.0.0');
    expectAscending('pypi', ['1.9', '1.10', '1.10.1']);
  });

  it('normalizes the alternative spellings', () => {
    expectEquivalent('pypi', '1.0a1', '1.0alpha1', '1.0-a-1', '1.0_a_1', '1.0.A1');
    expectEquivalent('pypi', '1.0rc1', '1.0c1', '1.0pre1', '1.0preview1', '1.0-RC1');
    expectEquivalent('pypi', '1.0.post1', '1.0-1', '1.0post1', '1.0.rev1', '1.0-r1');
    expectEquivalent('pypi', '1.0a', '1.0a0');
    expectEquivalent('pypi', '1.0.post', '1.0.post0');
    expectEquivalent('pypi', '1.0.dev', '1.0.dev0', '1.0-dev0');
    expectEquivalent('pypi', 'v1.0', '1.0');
  });

  it('puts a dev release just before the release it belongs to', () => {
    expectAscending('pypi', ['1.0a1.dev1', '1.0a1', '1.0a2.dev1']);
    expectAscending('pypi', ['1.0', '1.0.post1.dev1', '1.0.post1']);
  });

  it('orders local versions after their public version, numbers above strings', () => {
    expectAscending('pypi', ['1.0', '1.0+abc', '1.0+abc.1', '1.0+abc.2', '1.0+1', '1.0+2', '1.0+10', '1.0.post1']);
    expectEquivalent('pypi', '1.0+ubuntu-1', '1.0+ubuntu.1', '1.0+UBUNTU_1');
  });

  it("agrees with packaging's reference ordering", () => {
    expectAscending('pypi', [
      '1.0.dev456',
      '1.0a1',
      '1.0a2.dev456',
      '1.0a12.dev456',
      '1.0a12',
      '1.0b1.dev456',
      '1.0b2',
      '1.0b2.post345.dev456',
      '1.0b2.post345',
      '1.0b2-346',
      '1.0c1.dev456',
      '1.0c1',
      '1.0rc2',
      '1.0c3',
      '1.0',
      '1.0.post456.dev34',
      '1.0.post456',
      '1.1.dev1',
      '1.2+123abc',
      '1.2+123abc456',
      '1.2+abc',
      '1.2+abc123',
      '1.2+abc123def',
      '1.2+1234.abc',
      '1.2+123456',
      '1.2.r32+123456',
      '1.2.rev33+123456',
      '1!1.0b2.post345.dev456',
      '1!1.0',
    ]);
  });

  it('compares release numbers of any size', () => {
    expectAscending('pypi', ['2023.9', '2023.10', '20231001', '99999999999999999999']);
  });
});

describe('rubygems ordering', () => {
  it('makes a version with a letter a prerelease of the release', () => {
    expectAscending('rubygems', ['1.0.a', '1.0']);
    expectAscending('rubygems', ['2.0.0.pre', '2.0.0.rc1', '2.0.0']);
  });

  it('orders prereleases among themselves', () => {
    expectAscending('rubygems', ['1.0.a', '1.0.b1', '1.0.b2', '1.0.rc1', '1.0']);
    expectAscending('rubygems', ['1.0.alpha', '1.0.beta', '1.0.pre', '1.0.rc']);
  });

  it('splits segments on digit/letter boundaries', () => {
    expectAscending('rubygems', ['1.0.b9', '1.0.b10']);
    expectEquivalent('rubygems', '1.0.rc1', '1.0.rc.1');
  });

  it('ignores trailing zeros, before and after the prerelease part', () => {
    expectEquivalent('rubygems', '1', '1.0', '1.0.0');
    expectEquivalent('rubygems', '1.0.a', '1.a', '1.0.0.a');
    expectEquivalent('rubygems', '1.0.b1', '1.0.b1.0');
  });

  it('reads a hyphen as .pre.', () => {
    expectEquivalent('rubygems', '1.0-1', '1.0.pre.1');
    expectAscending('rubygems', ['1.0-beta', '1.0']);
  });

  it('compares numeric segments as numbers', () => {
    expectAscending('rubygems', ['1.9', '1.10', '1.10.1', '10.0']);
  });

  it('puts a number above a letter at the same position', () => {
    expectAscending('rubygems', ['1.0.a', '1.0.0.1']);
  });

  it('puts a prerelease of the next version above the previous release', () => {
    expectAscending('rubygems', ['1.0.1', '1.1.a', '1.1']);
  });
});

describe('isValidVersion', () => {
  const cases: [Ecosystem, string[], string[]][] = [
    ['dpkg', ['1.0', '1:2.3-1ubuntu0.1', '1.2.3-4-1', '2.0~rc1', '1:2:3-1'], ['', ' 1.0', '1.0 beta', 'abc', '1.0-', ':1.0', 'a:1.0', '1:', '1.0-1_2']],
    ['rpm', ['1.0', '1:1.0-1.el8', '1.0^git1', '1.0~rc1', 'master'], ['', '1.0 ', '1.0-1-2', '1.0-', 'a:1.0', '1.0-1:2']],
    ['npm', ['1.2.3', 'v1.2.3', '1.0.0-rc.1+build.5'], ['', ' 1.2.3', '1.2', '01.2.3', '1.2.3-01', '=1.2.3', '99999999999999999.0.0']],
    ['go', ['v1.2.3', 'v0.0.0-20210101000000-abcdef123456', 'v2.0.0+incompatible', 'v1', 'v1.2'], ['', 'v1.2.3 ', '1.2.3', 'v1.2-pre', 'v01.2.3', 'V1.2.3']],
    ['maven', ['1.0', '2.0-SNAPSHOT', '1.0.0.Final', 'ab'], ['', '1.0 beta', ' 1.0', '1/0', '1:0', '1.0?']],
    ['pypi', ['1.0', '1!2.0rc1.post2.dev3+local.7', 'v1.0', '1.0-1'], ['', '1.0 ', 'foo', '1..0', '1.0+', '1.0-', '1.0.dev1.post1']],
    ['rubygems', ['1.0', '1.0.a', '1.0-beta.2', '3.2.0.rc1'], ['', ' 1.0', '1.0 ', 'a1', '1..0', '1.0.', '1.0_1']],
  ];

  it.each(cases)('%s accepts its own syntax and rejects the rest', (ecosystem, accepted, rejected) => {
    for (const version of accepted) expect(isValidVersion(ecosystem, version), `accepts ${JSON.stringify(version)}`).toBe(true);
    for (const version of rejected) expect(isValidVersion(ecosystem, version), `rejects ${JSON.stringify(version)}`).toBe(false);
  });

  it('makes compareVersions throw on an invalid version', () => {
    expect(() => compareVersions('npm', '1.0', '1.0.0')).toThrow(RangeError);
    expect(() => compareVersions('pypi', '1.0', '')).toThrow(/Not a valid pypi version: ""/);
  });

  it('rejects an unknown ecosystem', () => {
    expect(() => isValidVersion('cargo' as Ecosystem, '1.0.0')).toThrow(/Unknown ecosystem/);
  });
});

describe('isAffected', () => {
  it('includes introduced and excludes fixed', () => {
    const ranges = [{ introduced: '1.1.1-1', fixed: '1.1.1n-0+deb11u5' }];
    expect(isAffected('dpkg', '1.1.0-9', ranges)).toBe(false);
    expect(isAffected('dpkg', '1.1.1-1', ranges)).toBe(true);
    expect(isAffected('dpkg', '1.1.1n-0+deb11u4', ranges)).toBe(true);
    expect(isAffected('dpkg', '1.1.1n-0+deb11u5', ranges)).toBe(false);
    expect(isAffected('dpkg', '1.1.1w-0+deb11u1', ranges)).toBe(false);
  });

  it('includes lastAffected', () => {
    const ranges = [{ introduced: '2.0-beta9', lastAffected: '2.14.1' }];
    expect(isAffected('maven', '2.0-beta8', ranges)).toBe(false);
    expect(isAffected('maven', '2.0-rc1', ranges)).toBe(true);
    expect(isAffected('maven', '2.14.1', ranges)).toBe(true);
    expect(isAffected('maven', '2.14.1.0', ranges)).toBe(true); // equal to 2.14.1 for Maven
    expect(isAffected('maven', '2.15.0', ranges)).toBe(false);
  });

  it('starts from the beginning without introduced, or with OSV\'s introduced "0"', () => {
    expect(isAffected('npm', '0.0.1-alpha', [{ fixed: '4.17.21' }])).toBe(true);
    expect(isAffected('npm', '4.17.20', [{ fixed: '4.17.21' }])).toBe(true);
    expect(isAffected('npm', '4.17.21', [{ fixed: '4.17.21' }])).toBe(false);
    expect(isAffected('go', 'v0.0.0-20190101000000-abcdef123456', [{ introduced: '0', fixed: 'v0.1.0' }])).toBe(true);
  });

  it('stays affected when there is no upper bound', () => {
    const ranges = [{ introduced: '2.0' }];
    expect(isAffected('pypi', '1.9.9', ranges)).toBe(false);
    expect(isAffected('pypi', '2.0.dev1', ranges)).toBe(false);
    expect(isAffected('pypi', '2.0.0', ranges)).toBe(true);
    expect(isAffected('pypi', '99!0.1', ranges)).toBe(true);
    expect(isAffected('rubygems', '0.1', [{}])).toBe(true);
  });

  it('matches any of several ranges and nothing between them', () => {
    const ranges = [{ introduced: 'v1.0.0', fixed: 'v1.2.5' }, { introduced: 'v1.3.0', fixed: 'v1.3.2' }, { introduced: 'v2.0.0-rc.1' }];
    expect(isAffected('go', 'v0.9.0', ranges)).toBe(false);
    expect(isAffected('go', 'v1.2.4', ranges)).toBe(true);
    expect(isAffected('go', 'v1.2.5', ranges)).toBe(false);
    expect(isAffected('go', 'v1.3.1', ranges)).toBe(true);
    expect(isAffected('go', 'v1.4.0', ranges)).toBe(false);
    expect(isAffected('go', 'v2.0.0-beta', ranges)).toBe(false);
    expect(isAffected('go', 'v3.0.0+incompatible', ranges)).toBe(true);
    expect(isAffected('go', 'v1.0.0', [])).toBe(false);
  });

  it("uses the ecosystem's ordering, not string order", () => {
    expect(isAffected('rpm', '1.10-1.el8', [{ fixed: '1.9-1.el8' }])).toBe(false);
    expect(isAffected('rpm', '1:1.0-1', [{ fixed: '2.0-1' }])).toBe(false);
    expect(isAffected('pypi', '1.0.0', [{ fixed: '1.0' }])).toBe(false);
    expect(isAffected('rubygems', '1.0.rc1', [{ introduced: '0.9', fixed: '1.0' }])).toBe(true);
  });

  it('applies both upper bounds when a range has fixed and lastAffected', () => {
    const ranges = [{ fixed: '2.0.0', lastAffected: '1.5.0' }];
    expect(isAffected('npm', '1.5.0', ranges)).toBe(true);
    expect(isAffected('npm', '1.6.0', ranges)).toBe(false);
  });

  it('throws on an invalid version or bound', () => {
    expect(() => isAffected('npm', 'latest', [{ fixed: '1.0.0' }])).toThrow(RangeError);
    expect(() => isAffected('npm', '1.0.0', [{ fixed: 'one' }])).toThrow(RangeError);
  });
});

// Pairs from the vendors' advisories (installed version, then the fix): the backports the
// distribution ordering must see as older or newer than the fix.
describe('distribution advisories', () => {
  it('orders Ubuntu and Debian backports (dpkg)', () => {
    // USN-5844-1 fixed jammy's openssl in 3.0.2-0ubuntu1.8; USN-5402-1 in 3.0.2-0ubuntu1.1.
    expectAscending('dpkg', ['3.0.2-0ubuntu1', '3.0.2-0ubuntu1.1', '3.0.2-0ubuntu1.6', '3.0.2-0ubuntu1.8', '3.0.2-0ubuntu1.10', '3.0.2-0ubuntu1.12']);
    // Debian's stable updates: ~deb11u1 sorts before the unstable upload it backports.
    expectAscending('dpkg', ['2.4.51-1~deb11u1', '2.4.52-1~deb11u2', '2.4.56-1~deb11u1', '2.4.56-1']);
    expectAscending('dpkg', ['7.74.0-1.3+deb11u2', '7.74.0-1.3+deb11u5', '7.74.0-1.3+deb11u7']);
    // An epoch outweighs everything after it (DSA fixes for bind9 and git carry epoch 1).
    expectAscending('dpkg', ['9.18.0-1', '1:9.16.33-1~deb11u1', '1:9.16.37-1~deb11u1']);
    // AWS's example fix for linux-image-aws on focal.
    expectAscending('dpkg', ['5.15.0.1026.30~20.04.16', '5.15.0.1027.31~20.04.16']);
  });

  it('orders Amazon Linux backports (rpm), with the epoch first', () => {
    // ALAS2-2023-1935 and ALAS2-2023-2073: openssl-libs 1.0.2k-24.amzn2.0.6, then .0.7.
    expectAscending('rpm', ['1:1.0.2k-19.amzn2.0.1', '1:1.0.2k-24.amzn2.0.3', '1:1.0.2k-24.amzn2.0.6', '1:1.0.2k-24.amzn2.0.7']);
    // ALAS2023-2023-181 fixed openssl in 3.0.8-1.amzn2023.0.2.
    expectAscending('rpm', ['3.0.8-1.amzn2023.0.1', '3.0.8-1.amzn2023.0.2', '3.0.8-1.amzn2023.0.3']);
    // The upstream version 1.0.2za that NVD names is not what Amazon ships: an epoch-1 package is newer still.
    expectAscending('rpm', ['1.0.2za', '1:1.0.2k-24.amzn2.0.7']);
    expectEquivalent('rpm', '0:3.0.8-1.amzn2023.0.2', '3.0.8-1.amzn2023.0.2');
  });

  it('orders rpm ~ before and ^ after the release (rpm >= 4.15)', () => {
    expectAscending('rpm', ['1.0~rc1-1', '1.0-1', '1.0^20240101git1-1', '1.0.1-1']);
    expectAscending('rpm', ['1.0~rc1', '1.0~rc2', '1.0', '1.0^', '1.0^git1', '1.0a']);
  });
});

describe('apk ordering', () => {
  it('orders numbers, letters and revisions as apk-tools does', () => {
    expectAscending('apk', ['1.1.1i-r0', '1.1.1k-r0', '1.1.1l-r0', '1.1.1t-r0', '3.1.4-r5', '3.1.4-r6', '3.1.7-r0']);
    expectAscending('apk', ['1.35.0-r7', '1.35.0-r17', '1.36.1-r0']);
    expectAscending('apk', ['1.2', '1.2-r1', '1.2a', '1.2.1']);
    expectEquivalent('apk', '1.2.11-r4', '1.2.11-r04');
  });

  it('orders prerelease suffixes before the release and post-release ones after', () => {
    expectAscending('apk', [
      '1.0_alpha',
      '1.0_alpha2',
      '1.0_beta',
      '1.0_pre1',
      '1.0_rc1',
      '1.0',
      '1.0_cvs',
      '1.0_svn',
      '1.0_git',
      '1.0_hg',
      '1.0_p1',
      '1.0_p2',
      '1.0.1',
    ]);
    // Versions in the style of Alpine's openssh (upstream 9.6p1 is 9.6_p1).
    expectAscending('apk', ['9.6_p1-r0', '9.6_p1-r1', '9.7_p1-r0']);
    expectAscending('apk', ['2.0_rc1-r0', '2.0-r0', '2.0_p1-r0']);
  });

  it('accepts only apk version syntax', () => {
    for (const version of ['1.2.11-r4', '9.6_p1-r0', '1.0_alpha2', '2.41.0-r0', '1.2a']) expect(isValidVersion('apk', version), version).toBe(true);
    for (const version of ['', 'v1.0', '1.0-1', '1.0_beta-x', '1.0-r', '1:1.0', 'abc', '1.0.']) expect(isValidVersion('apk', version), version).toBe(false);
  });
});

describe('splitting distribution versions as Inspector reports them', () => {
  it('separates epoch, version and release', () => {
    expect(splitOsVersion('dpkg', '3.0.13-0ubuntu3.2')).toEqual({ epoch: 0, version: '3.0.13', release: '0ubuntu3.2' });
    expect(splitOsVersion('dpkg', '1:2.30.2-1+deb11u2')).toEqual({ epoch: 1, version: '2.30.2', release: '1+deb11u2' });
    expect(splitOsVersion('dpkg', '2.9.14+dfsg-1.3~deb12u1')).toEqual({ epoch: 0, version: '2.9.14+dfsg', release: '1.3~deb12u1' });
    expect(splitOsVersion('rpm', '4.14.355-280.652.amzn2')).toEqual({ epoch: 0, version: '4.14.355', release: '280.652.amzn2' });
    expect(splitOsVersion('rpm', '1:1.0.2k-24.amzn2.0.7')).toEqual({ epoch: 1, version: '1.0.2k', release: '24.amzn2.0.7' });
    expect(splitOsVersion('apk', '9.6_p1-r0')).toEqual({ epoch: 0, version: '9.6_p1', release: 'r0' });
  });

  it('writes fixes as epoch:version-release, in the installed epoch when the vendor prints none', () => {
    expect(withEpoch('dpkg', '3.0.13-0ubuntu3.4', 0)).toBe('0:3.0.13-0ubuntu3.4');
    expect(withEpoch('rpm', '1.0.2k-24.amzn2.0.7', 1)).toBe('1:1.0.2k-24.amzn2.0.7');
    expect(withEpoch('dpkg', '1:9.16.37-1~deb11u1', 0)).toBe('1:9.16.37-1~deb11u1');
    expect(withEpoch('apk', '1.2.11-r4', 0)).toBe('1.2.11-r4');
  });
});
