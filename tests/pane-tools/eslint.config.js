// ESLint's flat config for the task pane's own JavaScript (src/BossTalkCalendar.Api/wwwroot): the pane's ES modules,
// and the send-time alert's handler, which stays a classic script (see the comment at the top of that file).
import js from "@eslint/js";
import globals from "globals";

// Run from the repository root with --config (npm run lint does): with --config, ESLint matches these patterns
// against the working directory, while the imports above resolve from this folder's node_modules.
const wwwroot = "src/BossTalkCalendar.Api/wwwroot/";

export default [
  {
    // Vendored (MSAL.js) and generated files are not ours to lint.
    ignores: [wwwroot + "lib/**"],
  },
  {
    files: [wwwroot + "taskpane.js", wwwroot + "js/**/*.js"],
    ...js.configs.recommended,
    languageOptions: {
      ecmaVersion: 2022,
      sourceType: "module",
      globals: { ...globals.browser, Office: "readonly" },
    },
    rules: {
      ...js.configs.recommended.rules,
      // The pane has no globals of its own: nothing may be written to window or declared outside a module.
      "no-restricted-globals": ["error", { name: "BossTalk", message: "The pane is ES modules: import what you need." }],
      "no-restricted-properties": ["error", { object: "window", property: "BossTalk", message: "The pane is ES modules: import what you need." }],
      "no-unused-vars": ["error", { args: "none", caughtErrors: "none" }],
      eqeqeq: ["error", "always"],
      "no-var": "error",
      "prefer-const": "error",
    },
  },
  {
    files: [wwwroot + "launchevent/**/*.js"],
    ...js.configs.recommended,
    languageOptions: {
      ecmaVersion: 2022,
      sourceType: "script",
      globals: { ...globals.browser, Office: "readonly", msal: "readonly" },
    },
    rules: {
      ...js.configs.recommended.rules,
      "no-unused-vars": ["error", { args: "none", caughtErrors: "none" }],
      eqeqeq: ["error", "always"],
      "no-var": "error",
      "prefer-const": "error",
    },
  },
];
