export { ENV } from '../src/contract';
