// The planner page's styles, inlined. Status is shown by symbol and text as well as colour
// (✓/✗, ≠, badges), and the palette is colour-blind safe (Okabe–Ito).
export const STYLE = `
:root { font: 14px/1.45 system-ui, sans-serif; color: #1a1a1a; background: #fff; }
body { margin: 0 auto; max-width: 1500px; padding: 0 16px 40px; }
header h1 { margin: 16px 0 4px; font-size: 22px; }
main { display: grid; grid-template-columns: minmax(320px, 440px) 1fr; gap: 24px; align-items: start; }
#inputs { position: sticky; top: 0; max-height: 100vh; overflow: auto; padding-right: 8px; }
h2 { font-size: 17px; margin: 18px 0 6px; } h3 { font-size: 14px; margin: 14px 0 4px; }
.grid { display: grid; gap: 6px; }
label.in { display: grid; grid-template-columns: 170px 1fr; gap: 2px 8px; align-items: center; }
label.in .name { font-family: ui-monospace, monospace; font-size: 12px; overflow-wrap: anywhere; }
label.in input, label.in select { min-width: 0; max-width: 100%; font: inherit; padding: 3px 6px; border: 1px solid #888; border-radius: 3px; }
label.in .help, label.in .err { grid-column: 1 / -1; font-size: 11px; color: #555; }
label.in .err { color: #a3001b; font-weight: 600; }
label.in .err:empty { display: none; }
.cmd { margin: 10px 0; padding: 8px; background: #f3f3f3; border: 1px solid #ccc; border-radius: 4px; }
.cmd code { display: block; margin-bottom: 6px; font-size: 12px; overflow-wrap: anywhere; }
button { font: inherit; padding: 3px 10px; }
.small { font-size: 12px; color: #444; }
.bad { color: #a3001b; } .ok { color: #005a8c; }
span.bad::before, span.ok::before { content: ''; }
table { border-collapse: collapse; margin: 8px 0; font-variant-numeric: tabular-nums; }
caption { text-align: left; font-weight: 600; padding: 4px 0; }
th, td { border: 1px solid #ccc; padding: 3px 8px; text-align: right; }
th[scope=row], thead th:first-child { text-align: left; font-weight: normal; }
td.differs { background: #fff2cc; font-weight: 600; }
.finding { margin: 3px 0; }
.badge { display: inline-block; font-size: 11px; padding: 0 5px; border-radius: 3px; border: 1px solid #999; }
.badge.warning { background: #fff2cc; } .badge.info { background: #e8f1fa; }
.badge.created { background: #fbe3d6; border-color: #d55e00; } .badge.resolved { background: #dcefe7; border-color: #009e73; }
li.resolved { text-decoration: line-through; color: #555; }
#charts { display: flex; flex-wrap: wrap; gap: 12px; }
figure.chart { margin: 0; width: 520px; max-width: 100%; border: 1px solid #ddd; }
figure.chart svg { width: 100%; height: auto; font: 11px system-ui, sans-serif; }
svg .title { font-weight: 600; font-size: 12px; }
svg .grid { stroke: #e4e4e4; } svg .link { stroke: #333; stroke-dasharray: 4 3; }
pre#json { max-height: 420px; overflow: auto; background: #f7f7f7; padding: 8px; font-size: 11px; }
@media (max-width: 900px) { main { grid-template-columns: 1fr; } #inputs { position: static; max-height: none; } }
@media print { #inputs { position: static; max-height: none; } button { display: none; } }
`;
