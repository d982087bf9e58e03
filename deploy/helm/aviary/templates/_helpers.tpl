{{/* The labels every object carries; a tier's objects add its name and component. */}}
{{- define "aviary.labels" -}}
app.kubernetes.io/name: {{ .root.Release.Name }}-{{ .tier }}
app.kubernetes.io/component: {{ .tier }}
app.kubernetes.io/part-of: aviary
{{- end }}

{{/* Labels of the objects Helm manages (not of pods or selectors, which must not change between releases). */}}
{{- define "aviary.managedLabels" -}}
app.kubernetes.io/managed-by: {{ .Release.Service }}
helm.sh/chart: {{ .Chart.Name }}-{{ .Chart.Version | replace "+" "_" }}
{{- end }}

{{/* A container port's number by its name, from a tier's port list. */}}
{{- define "aviary.portNumber" -}}
{{- $wanted := .name -}}
{{- range .ports -}}
{{- if eq .name $wanted }}{{ .containerPort }}{{ end -}}
{{- end -}}
{{- end }}
