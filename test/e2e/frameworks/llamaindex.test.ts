/** LlamaIndex.TS (`@llamaindex/aws`) on the hub, bundled as ESM (its tokenizer needs `import.meta.url`): see suite.ts. */
import { frameworkSuite } from './suite';

frameworkSuite({ handler: 'llamaindex', packageName: '@llamaindex/aws', streams: true, format: 'esm' });
