// A county's findings wait in the main thread until every county is checked: packed (v8
// serialisation, deflated at the fastest level) they take a tenth of the memory they take as
// objects — a province holds millions (one per unpaired household alone is a third of them), and
// while they wait the other counties' rows are in memory too. Unpacked once, at the merge.
import { deflateRawSync, inflateRawSync, constants } from 'node:zlib';
import { deserialize, serialize } from 'node:v8';
import type { ResolvedFinding } from '../model.js';

export interface CountyFindings {
  findings: ResolvedFinding[];
  /** household number → village key (summary.json), for the households the findings name */
  villageOf: [string, string][];
  /** household number → 户主 name (the 台账's 户主 column), for the households the findings name */
  headNames: [string, string][];
}

export function packFindings(x: CountyFindings): Uint8Array {
  const deflated = deflateRawSync(serialize(x), { level: constants.Z_BEST_SPEED });
  // an own ArrayBuffer, so that it can be transferred from the worker rather than copied
  return new Uint8Array(deflated);
}

export function unpackFindings(packed: Uint8Array): CountyFindings {
  return deserialize(inflateRawSync(packed)) as CountyFindings;
}
