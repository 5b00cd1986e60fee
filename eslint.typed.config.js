// Type-aware lint (issue 9), to be folded into eslint.config.js once every
// folder passes: `npx eslint -c eslint.typed.config.js src/features/<folder>`.
import base from "./eslint.config.js";
import tseslint from "typescript-eslint";

export default tseslint.config(...base, {
  files: ["**/*.ts"],
  extends: [...tseslint.configs.recommendedTypeChecked],
  languageOptions: { parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname } },
});
