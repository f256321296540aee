import { Flags } from '@oclif/core';

export const progressFlag = Flags.string({
  description: 'how progress is drawn (auto: spinners on a terminal, plain lines otherwise)',
  options: ['auto', 'tty', 'plain', 'json', 'quiet'],
  default: 'auto',
});
