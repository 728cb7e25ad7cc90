package report

import (
	"encoding/base64"
	"html/template"
)

func base64Std(b []byte) string { return base64.StdEncoding.EncodeToString(b) }

var pageTmpl = template.Must(template.New("page").Parse(`<!DOCTYPE html>
<html lang="{{.Lang}}">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="generator" content="junkan report">
<title>{{.Title}}</title>
<style>
body{font-family:"IPAexGothic","IPAexゴシック","Hiragino Sans","Hiragino Kaku Gothic ProN","Yu Gothic","Meiryo","Noto Sans CJK JP",sans-serif;margin:0 auto;max-width:1180px;padding:0 24px 48px;color:#222;line-height:1.55;background:#fff}
h1{font-size:1.6em;margin:28px 0 4px;border-bottom:3px solid #1f77b4;padding-bottom:6px}
h2{font-size:1.3em;margin:40px 0 10px;border-left:6px solid #1f77b4;padding-left:10px}
h3{font-size:1.05em;margin:22px 0 6px}
p.sub{color:#555;margin:4px 0 18px}
nav ol{columns:2;font-size:.95em}
nav a{color:#1f77b4;text-decoration:none}
table{border-collapse:collapse;margin:8px 0 18px;font-size:.86em}
th,td{border:1px solid #ccc;padding:3px 7px;vertical-align:top}
th{background:#eef3f8;text-align:left;font-weight:bold}
td.n{text-align:right;font-variant-numeric:tabular-nums;white-space:nowrap}
td.pos{color:#b22222}td.neg{color:#1a6f1a}
.scroll{overflow-x:auto}
figure{margin:12px 0 24px}
figure svg.fig,figure img{max-width:100%;height:auto;display:block;border:1px solid #e4e4e4}
figcaption{font-size:.85em;color:#444;margin-top:4px}
.note{color:#666;font-size:.85em}
.grid{display:grid;grid-template-columns:repeat(auto-fill,minmax(540px,1fr));gap:8px 18px}
footer{margin-top:40px;font-size:.8em;color:#666;border-top:1px solid #ddd;padding-top:8px}
small.src{color:#555}
</style>
</head>
<body>
<h1>{{.Title}}</h1>
<p class="sub">{{.Subtitle}}</p>
<nav><ol>{{range .Sections}}<li><a href="#{{.ID}}">{{.Title}}</a></li>{{end}}</ol></nav>
{{range .Sections}}
<section id="{{.ID}}">
<h2>{{.Title}}</h2>
{{if .Intro}}<p>{{.Intro}}</p>{{end}}
{{.Body}}
{{if .Figures}}<div class="grid">{{range .Figures}}
<figure id="{{.ID}}">{{.Body}}<figcaption>{{.Title}}{{range .Notes}}<br><span class="note">※ {{.}}</span>{{end}}</figcaption></figure>{{end}}
</div>{{end}}
</section>
{{end}}
<footer>{{.Footer}}</footer>
</body>
</html>
`))
