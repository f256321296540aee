/**
 * The one door to @kubernetes/client-node: Kitten modules and tests import the client from here,
 * so a change of client version or a workaround for one lands in a single place.
 */
export * from '@kubernetes/client-node';
