// One flat config for the whole workspace. Custom rules exist only for boundaries.
import js from "@eslint/js";
import prettier from "eslint-config-prettier";
import reactHooks from "eslint-plugin-react-hooks";
import globals from "globals";
import tseslint from "typescript-eslint";
import path from "node:path";

// Feature boundaries (as bulletproof-react): a file in <pkg>/src/features/<a>/ imports nothing from
// <pkg>/src/features/<b>/; what two features share lives outside features/ (bff/src/…,
// web/src/lib, web/src/components). There are no exceptions.
const featureOf = (file) =>
  /^((?:bff|web)\/src\/features\/[^/]+\/)/.exec(file)?.[1] ?? null;
const featureBoundaries = {
  rules: {
    "no-cross-feature-imports": {
      meta: { type: "problem", schema: [] },
      create(context) {
        const root = import.meta.dirname;
        const from = path
          .relative(root, context.filename)
          .split(path.sep)
          .join("/");
        const own = featureOf(from);
        if (!own) return {};
        const check = (node) => {
          const source = node.source?.value;
          if (typeof source !== "string" || !source.startsWith(".")) return;
          const target = path
            .relative(
              root,
              path.resolve(path.dirname(context.filename), source),
            )
            .split(path.sep)
            .join("/");
          const other = featureOf(target);
          if (!other || other === own) return;
          context.report({
            node: node.source,
            message: `${own} imports ${target}: features do not import each other; move the shared piece out of features/.`,
          });
        };
        return {
          ImportDeclaration: check,
          ExportNamedDeclaration: check,
          ExportAllDeclaration: check,
          ImportExpression: check,
        };
      },
    },
  },
};

export default tseslint.config(
  {
    ignores: [
      "**/node_modules/**",
      "**/dist/**",
      "**/.data/**",
      "**/coverage/**",
      "**/test-results/**",
      "**/playwright-report/**",
      "eslint.config.js",
      "**/*.config.js",
    ],
  },
  js.configs.recommended,
  ...tseslint.configs.recommendedTypeChecked,
  {
    languageOptions: {
      parserOptions: {
        projectService: true,
        tsconfigRootDir: import.meta.dirname,
      },
      globals: { ...globals.node },
    },
    rules: {
      "@typescript-eslint/no-explicit-any": "error",
      "@typescript-eslint/no-non-null-assertion": "error",
      "@typescript-eslint/ban-ts-comment": [
        "error",
        { "ts-expect-error": "allow-with-description" },
      ],
      "@typescript-eslint/no-unused-vars": [
        "error",
        { argsIgnorePattern: "^_", varsIgnorePattern: "^_" },
      ],
      "@typescript-eslint/consistent-type-imports": "error",
    },
  },
  {
    // Only config.ts reads the environment.
    files: [
      "bff/src/**/*.ts",
      "auth0-emulator/src/**/*.ts",
      "web/src/**/*.{ts,tsx}",
    ],
    ignores: ["**/config.ts", "**/*.test.ts", "**/*.test.tsx", "**/test/**"],
    rules: {
      "no-restricted-properties": [
        "error",
        {
          object: "process",
          property: "env",
          message: "Read configuration through config.ts.",
        },
        {
          object: "import",
          property: "meta.env",
          message: "Read configuration through config.ts.",
        },
      ],
    },
  },
  {
    // The Auth0 adapter is the only importer of the auth0 SDK.
    files: ["bff/src/**/*.ts"],
    ignores: ["bff/src/auth0/**"],
    rules: {
      "no-restricted-imports": [
        "error",
        // A regex, not a gitignore-style group: "auth0/*" also matched our own "../auth0/types.ts".
        {
          patterns: [
            {
              regex: "^auth0(/.*)?$",
              message: "Only bff/src/auth0/ talks to the auth0 SDK.",
            },
          ],
        },
      ],
    },
  },
  {
    // A feature's contract imports only zod, so the web app can share it.
    files: [
      "bff/src/features/*/contract.ts",
      "bff/src/contract.ts",
      "bff/src/shared-contract.ts",
    ],
    rules: {
      "no-restricted-imports": [
        "error",
        {
          patterns: [
            {
              regex: "^(?!zod$|\\./|\\.\\./).*",
              message: "Contracts import only zod.",
            },
          ],
        },
      ],
    },
  },
  {
    files: ["bff/src/features/**/*.ts", "web/src/features/**/*.{ts,tsx}"],
    plugins: { boundaries: featureBoundaries },
    rules: { "boundaries/no-cross-feature-imports": "error" },
  },
  {
    files: ["web/**/*.{ts,tsx}"],
    plugins: { "react-hooks": reactHooks },
    languageOptions: { globals: { ...globals.browser } },
    rules: { ...reactHooks.configs.recommended.rules },
  },
  prettier,
);
