import { pdfBomb } from './test/support/hostile-files.ts';
import { extractPdf } from './src/knowledge/extract/pdf.ts';
const keep = setInterval(() => {}, 1000);
process.on('exit', (c) => console.log('exit', c));
const mb = Number(process.argv[2]);
const p = await pdfBomb(mb * 1024 * 1024);
console.log('built', p.length);
const t = performance.now();
try { const d = await extractPdf(p, 'b.pdf', { maxPdfPages: 10, maxTextChars: 10 * 1024 * 1024 }); console.log(mb, 'ok', d.blocks.map(b => b.text.length)); }
catch (e) { console.log(mb, (e as any).code, (e as Error).message); }
console.log(mb, Math.round(performance.now() - t), 'ms', 'rss', Math.round(process.memoryUsage().rss / 1e6));
clearInterval(keep);
