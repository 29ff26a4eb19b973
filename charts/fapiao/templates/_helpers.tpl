{{/*
Naming: <release>-fapiao unless the release name already contains "fapiao"; components append
"-<component>". Kubernetes names stop at 63 characters.
*/}}
{{- define "fapiao.fullname" -}}
{{- if contains .Chart.Name .Release.Name -}}
{{- .Release.Name | trunc 63 | trimSuffix "-" -}}
{{- else -}}
{{- printf "%s-%s" .Release.Name .Chart.Name | trunc 63 | trimSuffix "-" -}}
{{- end -}}
{{- end -}}

{{- define "fapiao.componentFullname" -}}
{{- printf "%s-%s" (include "fapiao.fullname" .root) .name | trunc 63 | trimSuffix "-" -}}
{{- end -}}

{{- define "fapiao.labels" -}}
helm.sh/chart: {{ printf "%s-%s" .Chart.Name .Chart.Version | replace "+" "_" }}
app.kubernetes.io/name: {{ .Chart.Name }}
app.kubernetes.io/instance: {{ .Release.Name }}
app.kubernetes.io/version: {{ .Chart.AppVersion | quote }}
app.kubernetes.io/managed-by: {{ .Release.Service }}
app.kubernetes.io/part-of: fapiao
{{- with .Values.commonLabels }}
{{ toYaml . }}
{{- end }}
{{- end -}}

{{/* Selects every pod of the release: the unit NetworkPolicies allow traffic between. */}}
{{- define "fapiao.releaseSelectorLabels" -}}
app.kubernetes.io/name: {{ .Chart.Name }}
app.kubernetes.io/instance: {{ .Release.Name }}
{{- end -}}

{{/* ctx: dict root name */}}
{{- define "fapiao.selectorLabels" -}}
{{ include "fapiao.releaseSelectorLabels" .root }}
app.kubernetes.io/component: {{ .name }}
{{- end -}}

{{- define "fapiao.componentLabels" -}}
{{ include "fapiao.labels" .root }}
app.kubernetes.io/component: {{ .name }}
{{- end -}}

{{/*
Deep merge of .src into .dst in place. Sprig's merge/mergeOverwrite skip "empty" values, so a
component could never turn a default `true` into `false`; this one can, and null deletes a key.
*/}}
{{- define "fapiao.mergeInto" -}}
{{- $dst := .dst -}}
{{- range $key, $value := .src -}}
{{- if and (kindIs "map" $value) (kindIs "map" (get $dst $key)) -}}
{{- include "fapiao.mergeInto" (dict "dst" (get $dst $key) "src" $value) -}}
{{- else if kindIs "invalid" $value -}}
{{- /* null removes a default, as it does in Helm's own values. */ -}}
{{- $_ := unset $dst $key -}}
{{- else -}}
{{- $_ := set $dst $key $value -}}
{{- end -}}
{{- end -}}
{{- end -}}

{{/*
Resolves one component into ctx (dict root name): ctx.c is defaults merged with the component's
values, ctx.config the non-secret environment it runs with (ConfigMap for the app, inline for hooks).
*/}}
{{- define "fapiao.resolve" -}}
{{- $root := .root -}}
{{- $c := deepCopy $root.Values.defaults -}}
{{- include "fapiao.mergeInto" (dict "dst" $c "src" (get $root.Values.components .name)) -}}
{{- $issuer := include "fapiao.authIssuer" $root -}}
{{- $config := dict
  "PORT" (int $c.port | toString)
  "LOG_LEVEL" $c.logLevel
  "SHUTDOWN_GRACE_MS" (int64 $c.shutdownGraceMs | toString)
  "DB_HOST" $root.Values.database.host
  "DB_PORT" (int $root.Values.database.port | toString)
  "DB_USER" $c.database.user
  "DB_NAME" $c.database.name
  "DB_POOL_SIZE" (int $root.Values.database.poolSize | toString)
  "AUTH_ISSUER" $issuer
  "AUTH_AUDIENCE" $root.Values.auth.audience
  "AUTH_JWKS_URL" ($root.Values.auth.jwksUrl | default (printf "%s/.well-known/jwks.json" (trimSuffix "/" $issuer)))
  "OTEL_SERVICE_NAME" .name
-}}
{{- if $c.usesKafka -}}
{{- $_ := set $config "KAFKA_BROKERS" $root.Values.kafka.brokers -}}
{{- $_ := set $config "KAFKA_CLIENT_ID" (printf "fapiao-%s" .name) -}}
{{- end -}}
{{- with $root.Values.otel.endpoint -}}
{{- $_ := set $config "OTEL_EXPORTER_OTLP_ENDPOINT" . -}}
{{- end -}}
{{- if eq .name "auth" -}}
{{- $_ := set $config "AUTH_TOKEN_TTL_SECONDS" (int64 $root.Values.auth.tokenTtlSeconds | toString) -}}
{{- end -}}
{{- if eq .name "tax-bridge" -}}
{{- $cert := $root.Values.taxAuthority.clientCertificate -}}
{{- $_ := set $config "TAX_AUTHORITY_URL" (include "fapiao.taxAuthorityUrl" $root) -}}
{{- $_ := set $config "TAX_CLIENT_CERT_PATH" (printf "%s/%s" $cert.mountPath $cert.certKey) -}}
{{- $_ := set $config "TAX_CLIENT_KEY_PATH" (printf "%s/%s" $cert.mountPath $cert.keyKey) -}}
{{- end -}}
{{- range $key, $value := $c.env -}}
{{- $_ := set $config $key ($value | toString) -}}
{{- end -}}
{{- $_ := set . "c" $c -}}
{{- $_ := set . "config" $config -}}
{{- $_ := set . "fullname" (include "fapiao.componentFullname" .) -}}
{{- end -}}

{{- define "fapiao.authIssuer" -}}
{{- .Values.auth.issuer | default (printf "http://%s-auth:%v" (include "fapiao.fullname" .) (int .Values.components.auth.port)) -}}
{{- end -}}

{{- define "fapiao.taxAuthorityUrl" -}}
{{- $sim := get .Values.components "tax-authority-sim" -}}
{{- if .Values.taxAuthority.url -}}
{{- .Values.taxAuthority.url -}}
{{- else if $sim.enabled -}}
{{- printf "http://%s-tax-authority-sim:%v" (include "fapiao.fullname" .) (int $sim.port) -}}
{{- end -}}
{{- end -}}

{{/* ctx: dict root name; the image of that component. */}}
{{- define "fapiao.image" -}}
{{- $image := .root.Values.image -}}
{{- $repository := printf "%s%s" $image.repositoryPrefix .name -}}
{{- with $image.registry }}{{ $repository = printf "%s/%s" (trimSuffix "/" .) $repository }}{{ end -}}
{{- printf "%s:%s" $repository ($image.tag | default .root.Chart.AppVersion) -}}
{{- end -}}

{{/* Secrets reach the pods only as references to existing Secrets. ctx: resolved component. */}}
{{- define "fapiao.secretEnv" -}}
- name: DB_PASSWORD
  valueFrom:
    secretKeyRef:
      name: {{ .root.Values.database.existingSecret }}
      key: {{ .name }}
{{- if eq .name "auth" }}
- name: AUTH_KEY_ENCRYPTION_KEY
  valueFrom:
    secretKeyRef:
      name: {{ .root.Values.auth.keyEncryption.existingSecret }}
      key: {{ .root.Values.auth.keyEncryption.key }}
{{- end }}
{{- end -}}

{{/* Pod identity for traces; the resource attributes need the downward API, so they are env, not ConfigMap. */}}
{{- define "fapiao.otelEnv" -}}
- name: K8S_POD_NAME
  valueFrom:
    fieldRef:
      fieldPath: metadata.name
- name: K8S_NODE_NAME
  valueFrom:
    fieldRef:
      fieldPath: spec.nodeName
{{- $attributes := list "service.namespace=fapiao" (printf "service.version=%s" (.root.Values.image.tag | default .root.Chart.AppVersion)) (printf "deployment.environment=%s" .root.Values.environment) (printf "k8s.namespace.name=%s" .root.Release.Namespace) "k8s.pod.name=$(K8S_POD_NAME)" "k8s.node.name=$(K8S_NODE_NAME)" }}
{{- range $key, $value := .root.Values.otel.resourceAttributes }}
{{- $attributes = append $attributes (printf "%s=%s" $key ($value | toString)) }}
{{- end }}
- name: OTEL_RESOURCE_ATTRIBUTES
  value: {{ join "," $attributes | quote }}
{{- end -}}

{{/* Writable /tmp on a read-only root filesystem, plus the tax client certificate for tax-bridge. */}}
{{- define "fapiao.volumes" -}}
- name: tmp
  emptyDir:
    sizeLimit: 64Mi
{{- if eq .name "tax-bridge" }}
- name: tax-client-cert
  secret:
    secretName: {{ .root.Values.taxAuthority.clientCertificate.existingSecret }}
    defaultMode: 288 # 0440: owner and fsGroup read only
{{- end }}
{{- end -}}

{{- define "fapiao.volumeMounts" -}}
- name: tmp
  mountPath: /tmp
{{- if eq .name "tax-bridge" }}
- name: tax-client-cert
  mountPath: {{ .root.Values.taxAuthority.clientCertificate.mountPath }}
  readOnly: true
{{- end }}
{{- end -}}

{{/* Pod-level settings shared by the Deployment and the hook Jobs. ctx: resolved component. */}}
{{- define "fapiao.podCommon" -}}
automountServiceAccountToken: {{ .root.Values.serviceAccount.automountToken }}
securityContext:
  {{- toYaml .c.podSecurityContext | nindent 2 }}
{{- with .root.Values.image.pullSecrets }}
imagePullSecrets:
  {{- toYaml . | nindent 2 }}
{{- end }}
{{- with .c.priorityClassName }}
priorityClassName: {{ . }}
{{- end }}
{{- with .c.nodeSelector }}
nodeSelector:
  {{- toYaml . | nindent 2 }}
{{- end }}
{{- with .c.tolerations }}
tolerations:
  {{- toYaml . | nindent 2 }}
{{- end }}
volumes:
  {{- include "fapiao.volumes" . | nindent 2 }}
{{- end -}}

{{/* Container fields shared by the app and its migration job. ctx: resolved component. */}}
{{- define "fapiao.containerCommon" -}}
image: {{ include "fapiao.image" . | quote }}
imagePullPolicy: {{ .root.Values.image.pullPolicy }}
securityContext:
  {{- toYaml .c.securityContext | nindent 2 }}
volumeMounts:
  {{- include "fapiao.volumeMounts" . | nindent 2 }}
{{- end -}}

{{/* Inline env for hook Jobs, which run before the release's ConfigMaps exist. */}}
{{- define "fapiao.inlineEnv" -}}
{{- $entries := list -}}
{{- range $key, $value := . -}}
{{- $entries = append $entries (printf "- name: %s\n  value: %s" $key ($value | quote)) -}}
{{- end -}}
{{- join "\n" $entries -}}
{{- end -}}

{{/* Hook metadata: weight orders migrations (-10) before topics (-5); the apps come after all hooks. */}}
{{- define "fapiao.hookAnnotations" -}}
helm.sh/hook: pre-install,pre-upgrade
helm.sh/hook-weight: {{ .weight | quote }}
helm.sh/hook-delete-policy: {{ .deletePolicy | default "before-hook-creation,hook-succeeded" }}
{{- end -}}

{{- define "fapiao.hookServiceAccount" -}}
{{- printf "%s-hooks" (include "fapiao.fullname" .) | trunc 63 | trimSuffix "-" -}}
{{- end -}}
