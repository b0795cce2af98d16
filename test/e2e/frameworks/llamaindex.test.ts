/** LlamaIndex.TS (`@llamaindex/aws`) on the hub, bundled as ESM (its tokenizer needs `import.meta.url`): see suite.ts. */
import { frameworkSuite } from './suite';

frameworkSuite({ handler: 'llamaindex', overridable: true, packageName: '@llamaindex/aws', streams: true, format: 'esm' });
