// The stylesheet of the API documentation page: system fonts, one accent colour per HTTP method.
export const docsStyle = `
:root { --bg:#f7f7f8; --fg:#1d2125; --muted:#5f6b76; --line:#dfe3e8; --card:#fff; --accent:#2f6fde;
  --get:#1f8a4c; --post:#2f6fde; --patch:#b7791f; --delete:#c53030; --head:#6b46c1; --mono:ui-monospace,SFMono-Regular,Menlo,Consolas,monospace; }
* { box-sizing: border-box; }
body { margin:0; font:14px/1.5 system-ui,-apple-system,"Segoe UI",Roboto,sans-serif; color:var(--fg); background:var(--bg); }
header { display:flex; gap:16px; align-items:center; flex-wrap:wrap; padding:14px 24px; background:#16202c; color:#fff; }
header h1 { margin:0; font-size:18px; font-weight:600; }
header .meta { color:#aab4bf; font-size:13px; }
header label { margin-left:auto; display:flex; gap:8px; align-items:center; font-size:13px; color:#cdd5dd; }
header input { width:320px; }
.layout { display:grid; grid-template-columns:240px 1fr; min-height:calc(100vh - 56px); }
nav { border-right:1px solid var(--line); padding:16px; background:var(--card); position:sticky; top:0; align-self:start; max-height:100vh; overflow:auto; }
nav h2 { font-size:11px; text-transform:uppercase; letter-spacing:.06em; color:var(--muted); margin:16px 0 6px; }
nav a { display:block; padding:3px 6px; border-radius:4px; color:var(--fg); text-decoration:none; overflow:hidden; text-overflow:ellipsis; white-space:nowrap; }
nav a:hover { background:var(--bg); }
main { padding:20px 28px; max-width:1100px; }
.intro { color:var(--muted); margin:0 0 16px; }
input, select, textarea { font:inherit; padding:6px 8px; border:1px solid var(--line); border-radius:6px; background:#fff; color:var(--fg); }
textarea { font-family:var(--mono); font-size:12.5px; width:100%; }
input.search { width:100%; margin-bottom:8px; }
section.tag { margin-bottom:28px; }
section.tag > h2 { font-size:17px; margin:0 0 4px; }
section.tag > p { margin:0 0 10px; color:var(--muted); white-space:pre-line; }
details.op { background:var(--card); border:1px solid var(--line); border-radius:8px; margin:8px 0; }
details.op > summary { display:flex; gap:12px; align-items:center; padding:8px 12px; cursor:pointer; list-style:none; }
details.op > summary::-webkit-details-marker { display:none; }
.method { font:600 12px var(--mono); color:#fff; border-radius:4px; padding:3px 0; width:64px; text-align:center; text-transform:uppercase; }
.m-get { background:var(--get); } .m-post { background:var(--post); } .m-patch { background:var(--patch); } .m-delete { background:var(--delete); } .m-head { background:var(--head); }
.path { font-family:var(--mono); font-weight:600; }
.summary { color:var(--muted); overflow:hidden; text-overflow:ellipsis; white-space:nowrap; }
.body { padding:4px 16px 16px; border-top:1px solid var(--line); }
.body h3 { font-size:13px; margin:16px 0 6px; }
table { border-collapse:collapse; width:100%; font-size:13px; }
th, td { text-align:left; padding:5px 8px; border-bottom:1px solid var(--line); vertical-align:top; }
th { color:var(--muted); font-weight:500; }
code, .mono { font-family:var(--mono); font-size:12.5px; }
.type { color:#7a3e9d; font-family:var(--mono); font-size:12px; }
.req { color:var(--delete); font-size:11px; margin-left:4px; }
.desc { white-space:pre-line; }
.try { display:grid; gap:8px; background:var(--bg); border:1px solid var(--line); border-radius:8px; padding:12px; }
.try .row { display:flex; gap:8px; }
.try .row input { flex:1; font-family:var(--mono); }
button { font:inherit; font-weight:600; padding:6px 16px; border:0; border-radius:6px; background:var(--accent); color:#fff; cursor:pointer; }
button:hover { filter:brightness(1.1); }
.result { display:grid; gap:6px; }
.status { font-weight:600; } .status.ok { color:var(--get); } .status.err { color:var(--delete); }
pre { margin:0; padding:10px; background:#0f1720; color:#e6edf3; border-radius:6px; overflow:auto; max-height:420px; font:12.5px/1.45 var(--mono); }
.error { color:var(--delete); padding:20px; }
@media (max-width:800px) { .layout { grid-template-columns:1fr; } nav { position:static; max-height:none; } header input { width:100%; } }
`;
