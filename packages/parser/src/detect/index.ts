export { detectList } from './detect-list.js';
export type { CandidateSignals, DetectedCandidate, DetectOptions, ListDetection } from './types.js';
