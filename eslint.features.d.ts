// Types of eslint.features.js (plain JavaScript, as ESLint loads it), for the unit test that checks the list.
export declare const FEATURE_DEPENDENCIES: Record<string, string[]>;
export declare function findCycle(dependencies: Record<string, string[]>): string[] | null;
export declare const featureBoundaries: unknown[];
