// Where the tests read the site's CSS and JavaScript: ASSETS_DIR (relative to the repository), by
// default Templates/assets (the readable sources). `make test` runs the tests a second time with
// ASSETS_DIR=Site/assets, on the minified copies the build writes (Sources/GuideKit/Output/AssetMinifier.swift).
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

export const repo = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
export const assets = resolve(repo, process.env.ASSETS_DIR || 'Templates/assets');
export const asset = name => join(assets, name);
