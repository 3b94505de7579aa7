import { asNetwork } from '../../src/core/model/model-kind.ts';
import { upgradeConfig } from '../../src/core/store/upgrade.ts';
// 10,000 rows through Benchtop's serving client against `benchtop serve` on loopback (onnxruntime-node):
// batched requests against one request per row, and the client's own share of the round trip.
import * as tf from '@tensorflow/tfjs';
import { shippedTable } from '../unit/fixtures.ts';
import { datasetVersionId } from '../../src/core/data/dataset-hash.ts';
import { inferSchema } from '../../src/core/data/schema.ts';
import { runTraining } from '../../src/core/model/run-training.ts';
import { exportDenseOnnx } from '../../src/core/onnx/export-dense.ts';
import { kserveMetadata, type Endpoint } from '../../src/core/serving/protocols.ts';
import { latencySummary, predictRemote } from '../../src/core/serving/remote-predict.ts';
import { NO_FAULTS, startServer } from '../../bin/serve.ts';

export interface ServingRow {
  name: string;
  rowsPerSecond: number;
  requests: number;
  p50: number;
  p95: number;
  p99: number;
  clientShare: number;
  bytesSent: number;
}

export async function servingBench(rows = 10_000): Promise<ServingRow[]> {
  await tf.setBackend('cpu');
  const table = shippedTable('wine.csv');
  const r = await runTraining({
    runId: 'b',
    runName: 'b',
    table,
    dataset: { id: datasetVersionId(table), name: 'w' },
    schema: inferSchema(table, 'cultivar'),
    split: { kind: 'random', fractions: [0.7, 0.15, 0.15], seed: 1 },
    config: upgradeConfig({ epochs: 2, model: { kind: 'mlp', hidden: [64] } }),
    environment: { backend: 'cpu', backendReason: '', runtime: 'bench', appVersion: 'bench' },
  });
  if (!r.ok) throw new Error(r.error.message);
  const d = r.value.model.preprocessor.inputSize;
  const onnx = exportDenseOnnx(asNetwork(r.value.model).artifacts, d);
  if (!onnx.ok) throw new Error(onnx.error.message);
  const server = await startServer({
    onnx: onnx.value,
    name: 'wine',
    version: '1',
    port: 0,
    origins: [],
    faults: NO_FAULTS,
  });
  const X = Float32Array.from({ length: rows * d }, (_, i) => Math.sin(i * 0.61));
  const out: ServingRow[] = [];
  try {
    for (const protocol of ['kserve-v2', 'kserve-v2-binary', 'tfserving'] as const) {
      const e: Endpoint = {
        url: server.url,
        protocol: protocol === 'tfserving' ? 'tfserving' : 'kserve-v2',
        model: 'wine',
        binary: protocol === 'kserve-v2-binary',
      };
      const meta = protocol !== 'tfserving' ? await kserveMetadata(e) : null;
      for (const [batchSize, concurrency] of protocol === 'kserve-v2-binary'
        ? ([
            [256, 2],
            [1, 8],
          ] as const)
        : ([
            [256, 2],
            [1, 1],
            [1, 8],
          ] as const)) {
        const res = await predictRemote(e, meta, X, rows, d, {
          batchSize,
          concurrency,
          http: { timeoutMs: 30_000, retries: 0, backoffMs: 0 },
        });
        const lat = latencySummary(res.calls.map((c) => c.totalMs));
        const client = res.calls.reduce((a, c) => a + c.encodeMs + c.decodeMs, 0),
          total = res.calls.reduce((a, c) => a + c.totalMs, 0);
        out.push({
          name: `${protocol === 'kserve-v2-binary' ? 'kserve-v2 binary tensors' : protocol}, ${batchSize === 1 ? 'one row per request' : `${batchSize} rows per request`}, ${concurrency} in flight`,
          rowsPerSecond: rows / (res.wallMs / 1000),
          requests: res.calls.length,
          ...lat,
          clientShare: client / total,
          bytesSent: res.calls.reduce((a, c) => a + c.bytesSent, 0),
        });
      }
    }
  } finally {
    await server.close();
  }
  return out;
}
