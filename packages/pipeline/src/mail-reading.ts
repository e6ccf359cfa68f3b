/**
 * What ingest and reconcile use of mail parsing, loaded with `import()` when they meet a `mail/` key:
 * a module of its own, so that the bundler puts MIME, HTML and charset decoding (postal-mime,
 * parse5, iconv-lite's tables) in a chunk that only such an invocation loads. Importing the package
 * itself there would not do: the functions' settings import its sender list parser statically, and
 * the package's whole entry module would then be loaded at init with everything it re-exports.
 */
export { acceptMailDigest, senderRefusalOf } from '@feedwright/mail';
