/**
 * The one door to @kubernetes/client-node: it loads the Node 20 compatibility layer first, so
 * every Kitten module (and test) that needs the client imports it from here.
 */
import './node20-compat.js';

export * from '@kubernetes/client-node';
