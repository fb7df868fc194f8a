// Plain jsonld.js (with rdf-canonize), as shipped, in a thread of its own: the reference the node's JSON-LD fast
// paths are compared with. Contexts come from the caller (the node's bundled copies), served fresh each time and
// without jsonld's 'static' tag, so nothing of the node's caching takes part.
import { parentPort, workerData } from 'node:worker_threads';
import jsonld from 'jsonld';

const contexts = new Map(workerData.contexts);
const documentLoader = async (url) => {
  const document = contexts.get(url);
  if (!document) throw new Error(`no bundled context ${url}`);
  return { contextUrl: null, documentUrl: url, document: structuredClone(document) };
};

parentPort.on('message', async ({ documents }) => {
  const out = [];
  for (const document of documents) {
    try {
      // The options of @digitalbazaar/eddsa-rdfc-2022-cryptosuite's canonize().
      out.push(
        await jsonld.canonize(document, {
          algorithm: 'RDFC-1.0',
          format: 'application/n-quads',
          base: null,
          safe: true,
          rdfDirection: 'i18n-datatype',
          documentLoader,
        }),
      );
    } catch (error) {
      out.push(`ERROR ${error?.name ?? 'Error'}`);
    }
  }
  parentPort.postMessage(out);
});
