/**
 * The reference's "How to verify", point 5: a warm function keeps succeeding across three simulated
 * hours. The emulator's clock moves (the function's process sees it at once); nothing sleeps.
 */
import { NODE_FUNCTION, verifyWarmRefresh } from './verification-steps';

verifyWarmRefresh(NODE_FUNCTION, 'warm refresh');
