// Feature folders never import each other in a cycle. Each folder of
// src/features is one element (eslint-plugin-boundaries); FEATURE_DEPENDENCIES
// says which other features it may import, and that list is checked below to
// have no cycle, so that the lint rule and the list cannot drift into one.
// eslint.config.js applies the rule (npm run lint).
import boundaries from "eslint-plugin-boundaries";

/** Which features each feature may import. A feature not listed may import no other feature. */
export const FEATURE_DEPENDENCIES = {
  account: [],
  profile: ["account"],
  pages: [],
  "dev-mailbox": [],
  status: [],
  audit: ["status"],
  documents: ["audit"],
  request: ["documents", "profile", "status"],
  "my-requests": ["documents", "request", "status"],
  invitations: ["account", "audit"],
  agent: ["audit", "documents", "invitations", "my-requests", "request", "status"],
  admin: ["account", "audit"],
  proofs: ["audit"],
  retention: ["audit", "status"],
  "account-data": ["account", "audit", "request", "retention", "status"],
  aidants: ["account", "audit"],
  renewals: ["documents", "request", "status"],
  statistics: ["pages", "status"],
};

/** The first cycle of a dependency list, as a path of names, or null. */
export function findCycle(dependencies) {
  const state = new Map();
  const visit = (name, trail) => {
    if (state.get(name) === "done") return null;
    if (state.get(name) === "visiting") return [...trail.slice(trail.indexOf(name)), name];
    state.set(name, "visiting");
    for (const next of dependencies[name] ?? []) {
      const cycle = visit(next, [...trail, name]);
      if (cycle) return cycle;
    }
    state.set(name, "done");
    return null;
  };
  for (const name of Object.keys(dependencies)) {
    const cycle = visit(name, []);
    if (cycle) return cycle;
  }
  return null;
}

const cycle = findCycle(FEATURE_DEPENDENCIES);
if (cycle) throw new Error(`eslint.features.js: FEATURE_DEPENDENCIES has a cycle: ${cycle.join(" → ")}`);

const features = Object.keys(FEATURE_DEPENDENCIES);

/** The rule, for eslint.config.js. */
export const featureBoundaries = [
  {
    files: ["src/**/*.ts"],
    plugins: { boundaries },
    settings: {
      // Imports are written with .js and resolve to the .ts files (NodeNext); the TypeScript resolver knows that.
      "import/resolver": { typescript: { project: "./tsconfig.json" } },
      "boundaries/elements": features.map((feature) => ({ type: feature, pattern: `src/features/${feature}` })),
    },
    rules: {
      "boundaries/dependencies": [
        "error",
        {
          // Only imports between features are judged here; the rest of src is not an element.
          default: "allow",
          policies: features.map((feature) => ({
            from: { element: { type: feature } },
            disallow: {
              to: { element: { types: { anyOf: features.filter((other) => other !== feature && !FEATURE_DEPENDENCIES[feature].includes(other)) } } },
            },
          })),
          message:
            "Feature « {{from.element.type}} » must not import feature « {{to.element.type}} » (eslint.features.js lists what each feature may import, without cycles).",
        },
      ],
    },
  },
];
