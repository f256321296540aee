/** Byte codes the YAML readers compare against: they scan the file's bytes, not a string. */
export const TAB = 9;
export const NL = 10;
export const CR = 13;
export const SP = 32;
export const DQ = 34;
export const HASH = 35;
export const PERCENT = 37;
export const SQ = 39;
export const DASH = 45;
export const DOT = 46;
export const COLON = 58;
export const BSL = 92;
