import * as z from 'zod';

/**
 * The Kitten stack file, as people write it (JSON or YAML). This schema is the single source of
 * truth: it validates files and `kitten schema` prints it as JSON Schema for editors.
 * Rules that need the whole file (references, cycles, addresses) live in validate.ts.
 */

const name = z.string().min(1);
const scalar = z.union([z.string(), z.number(), z.boolean()]);

export const RESTART_PATTERN = /^(no|always|unless-stopped|on-failure(:[0-9]+)?)$/;
export const DURATION_PATTERN = /^([0-9]+(\.[0-9]+)?(ns|us|ms|s|m|h))+$/;

const duration = z
  .string()
  .regex(DURATION_PATTERN, { error: 'must be a duration such as 500ms, 10s, 1m30s' })
  .describe('Duration: 500ms, 10s, 1m30s, 2h');

const stringList = z.array(z.string());

const environment = z.union([z.record(z.string(), scalar.nullable()), stringList], {
  error: 'must be a map of NAME: value, or a list of NAME=value',
});

const port = z.union([z.string(), z.number()], {
  error: 'must be a port mapping such as "8080:80", "8080:80/udp" or "127.0.0.1:8080:80"',
});

const dependsOn = z.union(
  [
    stringList,
    z.record(
      z.string(),
      z.strictObject({
        condition: z
          .enum(['started', 'healthy', 'completed'], {
            error: 'condition must be started, healthy or completed',
          })
          .default('started'),
      }),
    ),
  ],
  { error: 'must be a list of container names, or a map of name: {condition: started|healthy|completed}' },
);

const healthcheck = z
  .strictObject({
    test: z
      .union([z.string(), stringList], { error: 'must be a command string or a list (["CMD", ...])' })
      .describe('Command run inside the container; exit 0 means healthy. A string runs in /bin/sh -c.'),
    interval: duration.optional(),
    timeout: duration.optional(),
    retries: z.number().int().min(1).optional(),
    start_period: duration.optional(),
    disable: z.boolean().optional(),
  })
  .describe('Health check run by the runtime; depends_on condition "healthy" waits for it');

const resources = z
  .strictObject({
    cpus: z
      .union([z.number(), z.string()], { error: 'must be a number of CPUs such as 0.5 or "2"' })
      .optional()
      .describe('CPU limit in cores, e.g. 0.5'),
    memory: z
      .union([z.string(), z.number()], { error: 'must be a size such as 256m, 1g or bytes' })
      .optional()
      .describe('Memory limit: bytes or a size such as 256m, 1g, 512MiB'),
  })
  .describe('Resource limits');

export const containerSchema = z
  .strictObject({
    image: z
      .string({
        error: (issue) => (issue.input === undefined ? 'image is required' : 'image must be a string'),
      })
      .min(1, { error: 'image must not be empty' })
      .describe(
        'Image name (name:tag), a rootfs directory path, or "host" for the host userland (native runtime)',
      ),
    command: z
      .union([stringList, z.string()], { error: 'must be a list of arguments or a command string' })
      .optional()
      .describe('Command to run: a list of arguments, or a string split like a shell would'),
    hostname: z.string().optional().describe('Hostname inside the container (default: the container name)'),
    workdir: z.string().optional().describe('Working directory (default: /)'),
    environment: environment.optional().describe('Environment variables'),
    ports: z.array(port).optional().describe('Published ports: "host:container[/tcp|udp]"'),
    network: name.optional().describe('Network to attach to (default: the project\'s "default" bridge)'),
    ip: z.string().optional().describe('Static IPv4 address on the network'),
    networks: z
      .union(
        [z.array(name), z.record(z.string(), z.strictObject({ ip: z.string().optional() }).nullable())],
        { error: 'must be a list of network names, or a map of name: {ip}' },
      )
      .optional()
      .describe('Several networks (instead of network/ip): a list of names, or a map of name: {ip}'),
    depends_on: dependsOn
      .optional()
      .describe('Containers that must start (or be healthy, or complete) first'),
    restart: z
      .string()
      .regex(RESTART_PATTERN, {
        error: 'restart must be "no", "always", "unless-stopped", "on-failure" or "on-failure:N"',
      })
      .optional()
      .describe('Restart policy: no | always | unless-stopped | on-failure[:N]'),
    healthcheck: healthcheck.optional(),
    resources: resources.optional(),
    volumes: stringList.optional().describe('Bind mounts: "host_path:container_path[:ro]"'),
    labels: z
      .union([z.record(z.string(), z.string()), stringList], {
        error: 'must be a map of strings or a list of key=value',
      })
      .optional()
      .describe('Labels added to the container'),
    replicas: z.number().int().min(0).optional().describe('Number of copies (default 1)'),
  })
  .describe('A container');

export const networkSchema = z
  .strictObject({
    driver: z
      .enum(['bridge', 'host', 'none'], { error: 'driver must be bridge, host or none' })
      .optional()
      .describe('bridge (default): an isolated bridge; host: the host network; none: loopback only'),
    subnet: z.string().optional().describe('IPv4 CIDR, e.g. 10.0.0.0/24'),
    gateway: z.string().optional().describe('Gateway address inside the subnet (default: its first address)'),
  })
  .describe('A network');

export const stackSchema = z
  .strictObject({
    version: z.union([z.string(), z.number()]).optional().describe('Stack format version, "1.0"'),
    containers: z
      .record(z.string(), containerSchema, { error: 'containers must be a map of name: container' })
      .describe('Containers by name'),
    networks: z
      .record(z.string(), networkSchema.nullable(), { error: 'networks must be a map of name: network' })
      .optional()
      .describe('Networks by name'),
  })
  .describe('A Kitten stack file');

export type StackFile = z.infer<typeof stackSchema>;
export type ContainerFile = z.infer<typeof containerSchema>;
export type NetworkFile = z.infer<typeof networkSchema>;

export function stackJsonSchema(): Record<string, unknown> {
  const schema = z.toJSONSchema(stackSchema, { target: 'draft-7', io: 'input' }) as Record<string, unknown>;
  return {
    ...schema,
    $id: 'https://kitten.dev/schema/stack.json',
    title: 'Kitten stack file',
  };
}
