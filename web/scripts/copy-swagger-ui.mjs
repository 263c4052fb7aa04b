// Copy the Swagger UI assets from the swagger-ui-dist npm package into the
// Flask package's static dir, so /api/docs works offline (no CDN).
import { copyFile, mkdir } from "node:fs/promises";
import { createRequire } from "node:module";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

const FILES = ["swagger-ui.css", "swagger-ui-bundle.js", "swagger-ui-standalone-preset.js"];
const require = createRequire(import.meta.url);
const sourceDir = dirname(require.resolve("swagger-ui-dist/package.json"));
const targetDir = fileURLToPath(new URL("../../src/invsim/static/swagger-ui/", import.meta.url));

await mkdir(targetDir, { recursive: true });
for (const name of FILES) {
  await copyFile(join(sourceDir, name), join(targetDir, name));
}
const { version } = require("swagger-ui-dist/package.json");
console.log(`copied swagger-ui-dist ${version}: ${FILES.join(", ")} -> ${targetDir}`);
