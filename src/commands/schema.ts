import { KittenCommand } from '../cli/kitten-command.js';
import { stackJsonSchema } from '../engine/stack/spec.js';
import { toJson } from '../output/format.js';

export default class Schema extends KittenCommand {
  static override summary = 'Print the stack file JSON Schema (for editor autocompletion)';
  static override examples = ['<%= config.bin %> schema > kitten.schema.json'];

  async run(): Promise<Record<string, unknown>> {
    await this.parse(Schema);
    const schema = stackJsonSchema();
    if (!this.jsonEnabled()) process.stdout.write(toJson(schema));
    return schema;
  }
}
