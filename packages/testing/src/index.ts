/**
 * `@feedwright/testing`: in-memory fakes of `@feedwright/storage`'s ports (the item table, the incoming
 * bucket, the site bucket), for unit tests of one module. Only tests and the benchmark import it; no
 * production module does (the package graph's rules refuse it).
 */
export { MemoryDigestSource, type MemoryVersion } from './memory-digest-source.ts';
export { MemoryItemTable } from './memory-item-table.ts';
export { MemorySiteStore } from './memory-site-store.ts';
