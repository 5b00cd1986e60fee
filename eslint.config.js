import js from "@eslint/js";
import globals from "globals";
import tseslint from "typescript-eslint";
import { featureBoundaries } from "./eslint.features.js";

export default tseslint.config(
  { ignores: ["dist/", "node_modules/", "src/generated/", ".data/", "uploads/", "coverage/"] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: { globals: { ...globals.node } },
    rules: {
      "@typescript-eslint/no-unused-vars": ["error", { argsIgnorePattern: "^_", varsIgnorePattern: "^_", ignoreRestSiblings: true }],
      "@typescript-eslint/no-namespace": "off",
    },
  },
  // Type-aware rules on the TypeScript: no value of type any reaches the code (req.body is parsed by zod, JSON columns too).
  {
    files: ["**/*.ts"],
    extends: [...tseslint.configs.recommendedTypeChecked],
    languageOptions: { parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname } },
  },
  ...featureBoundaries,
  {
    files: ["public/js/**/*.js"],
    languageOptions: { globals: { ...globals.browser }, sourceType: "script" },
  },
);
