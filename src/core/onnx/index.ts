export * from './protobuf-writer.ts';
export * from './export-dense.ts';
