/**
 * compose.yaml and the Dockerfile, checked without a Docker engine (none here or in CI): the services run as
 * local `ler-node` processes with compose's commands and environment (scripts/compose-check.ts), and the
 * Dockerfile keeps the usual rules (pinned base image, non-root user, a data volume, a health check, no
 * secrets baked in).
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { readComposeText } from '../../scripts/compose/read-compose.ts';
import { interpolate, readDockerfile, runComposeCheck } from '../../scripts/compose-check.ts';

const dockerfileText = readFileSync(new URL('../../Dockerfile', import.meta.url), 'utf8');

describe('the compose federation', () => {
  it('starts three nodes, sets up two networks and a recognition, and trusts beta’s credential at gamma', async () => {
    const result = await runComposeCheck();
    expect(result.services).toEqual(['alpha', 'beta', 'gamma', 'setup']);
    const [alpha, beta] = [...result.setupOutput.matchAll(/network:\s+(\S+)/g)].map((m) => m[1]);
    expect(result.report).toMatchObject({ verified: true, trusted: true, trustPath: [alpha, beta] });
    expect(result.verifyExitCode).toBe(0);
    expect(result.rerunOutput).toContain('already set up');
  }, 300_000);
});

describe('the Dockerfile', () => {
  const dockerfile = readDockerfile(dockerfileText);
  it('builds in one stage and runs production dependencies only, as a non-root user, with /data as a volume', () => {
    expect(dockerfileText.match(/^FROM /gm)).toHaveLength(2);
    expect(dockerfileText).toMatch(/npm ci/);
    expect(dockerfileText).toMatch(/npm prune --omit=dev/);
    const runtime = dockerfileText.slice(dockerfileText.lastIndexOf('\nFROM '));
    expect(runtime).toMatch(/^USER node$/m);
    expect(runtime).toMatch(/^VOLUME \["\/data"\]$/m);
    expect(runtime).toMatch(/^EXPOSE 8080 4001$/m);
    expect(dockerfile.env.LER_DATA).toBe('/data');
    expect(dockerfile.healthcheck).toEqual(['node', 'docker/healthcheck.mjs']);
  });
  it('pins its base image to an exact version and bakes in no secret', () => {
    expect(dockerfileText).toMatch(/^ARG NODE_IMAGE=node:\d+\.\d+\.\d+-[\w-]+$/m);
    expect(dockerfileText).not.toMatch(/:latest\b/);
    expect(Object.keys(dockerfile.env).filter((k) => /TOKEN|SECRET|PASSWORD|KEY/.test(k))).toEqual([]);
  });
});

describe('reading compose.yaml', () => {
  it('refuses YAML outside its subset instead of misreading it', () => {
    expect(() => readComposeText('x: &anchor\n  a: 1\n')).toThrow(/outside the subset/);
    expect(() => readComposeText('x:\n  - a\n')).toThrow(/outside the supported subset/);
    expect(() => readComposeText('a: 1\na: 2\n')).toThrow(/duplicate key a/);
    expect(readComposeText('s:\n  a: [x, "y z"] # note\n  b: {}\n')).toEqual({ s: { a: ['x', 'y z'], b: {} } });
  });
  it('interpolates as compose does', () => {
    // biome-ignore lint/suspicious/noTemplateCurlyInString: compose's own ${…} syntax, not a JS template
    expect(interpolate('${A:-d}/${B}/$$x', { B: 'b' })).toBe('d/b/$x');
    // biome-ignore lint/suspicious/noTemplateCurlyInString: compose's own ${…} syntax, not a JS template
    expect(() => interpolate('${T:?set T}', {})).toThrow('T: set T');
  });
});
