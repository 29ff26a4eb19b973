{{/*
Naming: fullnameOverride, else <release>-<name> (<name> is nameOverride or "fapiao") unless the release
name already contains <name>; components append "-<component>". Kubernetes names stop at 63 characters.
*/}}
{{- define "fapiao.name" -}}
{{- .Values.nameOverride | default .Chart.Name | trunc 63 | trimSuffix "-" -}}
{{- end -}}

{{- define "fapiao.fullname" -}}
{{- $name := include "fapiao.name" . -}}
{{- if .Values.fullnameOverride -}}
{{- .Values.fullnameOverride | trunc 63 | trimSuffix "-" -}}
{{- else if contains $name .Release.Name -}}
{{- .Release.Name | trunc 63 | trimSuffix "-" -}}
{{- else -}}
{{- printf "%s-%s" .Release.Name $name | trunc 63 | trimSuffix "-" -}}
{{- end -}}
{{- end -}}

{{- define "fapiao.componentFullname" -}}
{{- printf "%s-%s" (include "fapiao.fullname" .root) .name | trunc 63 | trimSuffix "-" -}}
{{- end -}}

{{- define "fapiao.labels" -}}
helm.sh/chart: {{ printf "%s-%s" .Chart.Name .Chart.Version | replace "+" "_" }}
app.kubernetes.io/name: {{ include "fapiao.name" . }}
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
app.kubernetes.io/name: {{ include "fapiao.name" . }}
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
metadata.annotations of an object: commonAnnotations plus the object's own (ctx: dict root [extra]).
Renders nothing when both are empty. Use as `{{- with include "fapiao.annotations" (dict "root" $) }}{{ . | nindent 2 }}{{- end }}`.
*/}}
{{- define "fapiao.annotations" -}}
{{- $all := merge (deepCopy (.extra | default dict)) (deepCopy (.root.Values.commonAnnotations | default dict)) -}}
{{- if $all -}}
annotations:
  {{- toYaml $all | nindent 2 }}
{{- end -}}
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
Values the services cannot run without: rendering stops here, naming the value, instead of installing
pods that crash-loop (or, for the tax authority, call nothing). Called once per render (components.yaml).
*/}}
{{- define "fapiao.requiredValues" -}}
{{- if not (trim (toString .Values.database.host)) -}}
{{- fail "database.host is empty: set it to the MySQL/MariaDB host every component connects to (e.g. --set database.host=mysql.db.svc)" -}}
{{- end -}}
{{- $kafkaUsers := list -}}
{{- range $name, $component := .Values.components -}}
{{- if $component.enabled -}}
{{- $usesKafka := $.Values.defaults.usesKafka -}}
{{- if hasKey $component "usesKafka" }}{{ $usesKafka = $component.usesKafka }}{{ end -}}
{{- if $usesKafka }}{{ $kafkaUsers = append $kafkaUsers $name }}{{ end -}}
{{- end -}}
{{- end -}}
{{- if and $kafkaUsers (not (trim (toString .Values.kafka.brokers))) -}}
{{- fail (printf "kafka.brokers is empty: %s need Kafka; set it to the bootstrap servers (e.g. --set kafka.brokers=kafka-0.kafka:9092,kafka-1.kafka:9092)" (join ", " $kafkaUsers)) -}}
{{- end -}}
{{- if and (get .Values.components "tax-bridge").enabled (not (include "fapiao.taxAuthorityUrl" .)) -}}
{{- fail "taxAuthority.url is empty and components.tax-authority-sim is disabled: tax-bridge would have no tax authority to submit invoices to. Set taxAuthority.url to the authority's endpoint (or, for dev and CI only, --set components.tax-authority-sim.enabled=true)" -}}
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
{{- $otel := $root.Values.otel -}}
{{- $config := dict
  "PORT" (int $c.port | toString)
  "LOG_LEVEL" $c.logLevel
  "SHUTDOWN_GRACE_MS" (int64 $c.shutdownGraceMs | toString)
  "DB_HOST" (toString $root.Values.database.host)
  "DB_PORT" (int $root.Values.database.port | toString)
  "DB_USER" $c.database.user
  "DB_NAME" $c.database.name
  "DB_POOL_SIZE" (int $root.Values.database.poolSize | toString)
  "AUTH_ISSUER" $issuer
  "AUTH_AUDIENCE" $root.Values.auth.audience
  "AUTH_JWKS_URL" ($root.Values.auth.jwksUrl | default (printf "%s/.well-known/jwks.json" (trimSuffix "/" $issuer)))
  "OTEL_SERVICE_NAME" .name
-}}
{{- $_ := set . "c" $c -}}
{{- $_ := set . "kafka" dict -}}
{{- if $c.usesKafka -}}
{{- $_ := set $config "KAFKA_BROKERS" (toString $root.Values.kafka.brokers) -}}
{{- $_ := set $config "KAFKA_CLIENT_ID" (printf "fapiao-%s" .name) -}}
{{- $kafka := include "fapiao.kafkaClient" . | fromJson -}}
{{- range $key, $value := $kafka.env }}{{ $_ := set $config $key $value }}{{ end -}}
{{- $_ := set . "kafka" $kafka -}}
{{- end -}}
{{- $_ := set $config "METRICS_PORT" (int $root.Values.metrics.port | toString) -}}
{{- with $otel.endpoint -}}
{{- $_ := set $config "OTEL_EXPORTER_OTLP_ENDPOINT" . -}}
{{- end -}}
{{- with $otel.sampler -}}
{{- $_ := set $config "OTEL_TRACES_SAMPLER" . -}}
{{- end -}}
{{- if and $otel.sampler (ne (toString $otel.samplerArg) "") -}}
{{- $_ := set $config "OTEL_TRACES_SAMPLER_ARG" (toString $otel.samplerArg) -}}
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
{{- if trim .Values.taxAuthority.url -}}
{{- trim .Values.taxAuthority.url -}}
{{- else if $sim.enabled -}}
{{- printf "http://%s-tax-authority-sim:%v" (include "fapiao.fullname" .) (int $sim.port) -}}
{{- end -}}
{{- end -}}

{{/*
The image of a resolved component: <registry>/<repository>:<tag>, or <registry>/<repository>@<digest>
when a digest pins it. registry: global.imageRegistry, else image.registry; repository: the component's
image.repository, else image.repositoryPrefix + component; tag: the component's image.tag, else
image.tag, else the chart's appVersion.
*/}}
{{- define "fapiao.image" -}}
{{- $image := .root.Values.image -}}
{{- $own := .c.image | default dict -}}
{{- $registry := (.root.Values.global | default dict).imageRegistry | default $image.registry -}}
{{- $repository := $own.repository | default (printf "%s%s" $image.repositoryPrefix .name) -}}
{{- with $registry }}{{ $repository = printf "%s/%s" (trimSuffix "/" .) $repository }}{{ end -}}
{{- if $own.digest -}}
{{- printf "%s@%s" $repository $own.digest -}}
{{- else -}}
{{- printf "%s:%s" $repository (include "fapiao.imageTag" .) -}}
{{- end -}}
{{- end -}}

{{- define "fapiao.imageTag" -}}
{{- (.c.image | default dict).tag | default .root.Values.image.tag | default .root.Chart.AppVersion -}}
{{- end -}}

{{/* imagePullSecrets: the top-level list plus the older image.pullSecrets, without duplicates. */}}
{{- define "fapiao.imagePullSecrets" -}}
{{- $all := list -}}
{{- range (concat (.Values.imagePullSecrets | default list) (.Values.image.pullSecrets | default list)) -}}
{{- $entry := ternary (dict "name" .) . (kindIs "string" .) -}}
{{- if not (has $entry $all) }}{{ $all = append $all $entry }}{{ end -}}
{{- end -}}
{{- with $all -}}
imagePullSecrets:
  {{- toYaml . | nindent 2 }}
{{- end -}}
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
{{- /* Platform clients: auth creates them at start; the others read its tenant directory with the service one. */}}
{{- $clients := .root.Values.auth.clients.existingSecret }}
{{- $vars := dict }}
{{- if eq .name "auth" }}
{{- $vars = dict "AUTH_PLATFORM_CLIENT_ID" "platform-client-id" "AUTH_PLATFORM_CLIENT_SECRET" "platform-client-secret" "AUTH_TENANT_LOOKUP_CLIENT_ID" "service-client-id" "AUTH_TENANT_LOOKUP_CLIENT_SECRET" "service-client-secret" }}
{{- else if .c.usesKafka }}
{{- $vars = dict "AUTH_CLIENT_ID" "service-client-id" "AUTH_CLIENT_SECRET" "service-client-secret" }}
{{- end }}
{{- range $variable, $key := $vars }}
- name: {{ $variable }}
  valueFrom:
    secretKeyRef:
      name: {{ $clients }}
      key: {{ $key }}
{{- end }}
{{- end -}}

{{/*
Secret references the pods need, as (secret, key, value that names them) rows: what the preflight
checks and what docs/deploy-kubernetes.md tells the platform team to create.
*/}}
{{- define "fapiao.requiredSecretKeys" -}}
{{- $rows := list -}}
{{- range $name, $component := .Values.components -}}
{{- if $component.enabled -}}
{{- $rows = append $rows (dict "secret" $.Values.database.existingSecret "key" $name "value" "database.existingSecret") -}}
{{- $ctx := dict "root" $ "name" $name -}}
{{- include "fapiao.resolve" $ctx -}}
{{- $rows = concat $rows ($ctx.kafka.secrets | default list) -}}
{{- end -}}
{{- end -}}
{{- if eq (include "fapiao.topicsMode" .) "job" -}}
{{- $rows = concat $rows ((include "fapiao.kafkaClient" (dict "root" . "name" "topic-job") | fromJson).secrets | default list) -}}
{{- end -}}
{{- if .Values.components.auth.enabled -}}
{{- $rows = append $rows (dict "secret" .Values.auth.keyEncryption.existingSecret "key" .Values.auth.keyEncryption.key "value" "auth.keyEncryption") -}}
{{- range list "platform-client-id" "platform-client-secret" -}}
{{- $rows = append $rows (dict "secret" $.Values.auth.clients.existingSecret "key" . "value" "auth.clients") -}}
{{- end -}}
{{- end -}}
{{- /* The service client: auth creates it, the Kafka services present it to auth's tenant directory. */ -}}
{{- $serviceClient := .Values.components.auth.enabled -}}
{{- range $name, $component := .Values.components -}}
{{- if and $component.enabled (ne $name "auth") (ne (toString $component.usesKafka) "false") -}}
{{- $serviceClient = true -}}
{{- end -}}
{{- end -}}
{{- if $serviceClient -}}
{{- range list "service-client-id" "service-client-secret" -}}
{{- $rows = append $rows (dict "secret" $.Values.auth.clients.existingSecret "key" . "value" "auth.clients") -}}
{{- end -}}
{{- end -}}
{{- if (get .Values.components "tax-bridge").enabled -}}
{{- $cert := .Values.taxAuthority.clientCertificate -}}
{{- $rows = append $rows (dict "secret" $cert.existingSecret "key" $cert.certKey "value" "taxAuthority.clientCertificate") -}}
{{- $rows = append $rows (dict "secret" $cert.existingSecret "key" $cert.keyKey "value" "taxAuthority.clientCertificate") -}}
{{- end -}}
{{- toJson $rows -}}
{{- end -}}

{{/*
Preflight against the cluster: every Secret and key the pods reference must exist before any hook
runs. lookup answers only when Helm talks to a cluster (install, upgrade, template --dry-run=server);
under `helm template` it returns nothing, and so does it for the kube-root-ca.crt ConfigMap that
Kubernetes puts in every namespace: that ConfigMap is the sign that lookup is live. A namespace that
does not exist yet (--create-namespace) also has none, and is skipped: the pods report it instead.
*/}}
{{- define "fapiao.preflight" -}}
{{- if .Values.preflight.secrets -}}
{{- $ns := .Release.Namespace -}}
{{- if lookup "v1" "ConfigMap" $ns "kube-root-ca.crt" -}}
{{- $problems := list -}}
{{- $seen := dict -}}
{{- range (include "fapiao.requiredSecretKeys" . | fromJsonArray) -}}
{{- $secret := get $seen .secret -}}
{{- if not (hasKey $seen .secret) -}}
{{- $secret = lookup "v1" "Secret" $ns .secret -}}
{{- $_ := set $seen .secret $secret -}}
{{- end -}}
{{- if not $secret -}}
{{- $problems = append $problems (printf "Secret %q (%s) does not exist" .secret .value) -}}
{{- else if not (hasKey ($secret.data | default dict) .key) -}}
{{- $problems = append $problems (printf "Secret %q (%s) has no key %q" .secret .value .key) -}}
{{- end -}}
{{- end -}}
{{- with $problems -}}
{{- fail (printf "preflight: in namespace %s, %s. Create them first (docs/deploy-kubernetes.md), or set preflight.secrets=false to skip this check." $ns (join "; " (uniq .))) -}}
{{- end -}}
{{- end -}}
{{- end -}}
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
{{- $environment := .root.Values.otel.deploymentEnvironmentName | default .root.Values.environment }}
{{- $attributes := list "service.namespace=fapiao" (printf "service.version=%s" (include "fapiao.imageTag" .)) (printf "deployment.environment.name=%s" $environment) (printf "deployment.environment=%s" $environment) (printf "k8s.namespace.name=%s" .root.Release.Namespace) "k8s.pod.name=$(K8S_POD_NAME)" "k8s.node.name=$(K8S_NODE_NAME)" }}
{{- range $key, $value := .root.Values.otel.resourceAttributes }}
{{- $attributes = append $attributes (printf "%s=%s" $key ($value | toString)) }}
{{- end }}
- name: OTEL_RESOURCE_ATTRIBUTES
  value: {{ join "," $attributes | quote }}
{{- end -}}

{{/* Writable /tmp on a read-only root filesystem, the tax client certificate for tax-bridge, extraVolumes. */}}
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
{{- with (.kafka | default dict).volumes }}
{{ toYaml . }}
{{- end }}
{{- with .c.extraVolumes }}
{{ toYaml . }}
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
{{- with (.kafka | default dict).mounts }}
{{ toYaml . }}
{{- end }}
{{- with .c.extraVolumeMounts }}
{{ toYaml . }}
{{- end }}
{{- end -}}

{{/* The ServiceAccount a component's pods run as (serviceAccount.create/name). ctx: resolved component. */}}
{{- define "fapiao.serviceAccountName" -}}
{{- $sa := .root.Values.serviceAccount -}}
{{- if $sa.name -}}
{{- $sa.name -}}
{{- else if $sa.create -}}
{{- .fullname -}}
{{- else -}}
default
{{- end -}}
{{- end -}}

{{/* Pod-level settings shared by the Deployment and the hook Jobs. ctx: resolved component. */}}
{{- define "fapiao.podCommon" -}}
automountServiceAccountToken: {{ .root.Values.serviceAccount.automountToken }}
securityContext:
  {{- toYaml .c.podSecurityContext | nindent 2 }}
{{- with include "fapiao.imagePullSecrets" .root }}
{{ . }}
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

{{/* Container fields shared by the app, its hook Jobs and the dependency checks. ctx: resolved component. */}}
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

{{/*
An init container of a hook Job that waits a bounded time for the database or Kafka to accept TCP
connections, then exits 3 with one line naming what is unreachable and the values that point there;
the Job's podFailurePolicy turns exit 3 into an immediate Job failure, so `helm install` stops with
the reason instead of retrying until its timeout. ctx: dict ctx (resolved component) what values endpoints.
*/}}
{{- define "fapiao.dependencyCheck" -}}
{{- $check := .ctx.root.Values.hooks.dependencyCheck -}}
- name: wait-for-{{ .what }}
  {{- include "fapiao.containerCommon" .ctx | nindent 2 }}
  command: [node, -e]
  args:
    - |
      {{- .ctx.root.Files.Get "files/wait-for.js" | nindent 6 }}
  env:
    - name: WAIT_FOR
      value: {{ .what | quote }}
    - name: WAIT_VALUES
      value: {{ .values | quote }}
    - name: WAIT_ENDPOINTS
      value: {{ .endpoints | quote }}
    - name: WAIT_TIMEOUT_SECONDS
      value: {{ $check.timeoutSeconds | quote }}
    - name: WAIT_INTERVAL_SECONDS
      value: {{ $check.intervalSeconds | quote }}
  terminationMessagePolicy: FallbackToLogsOnError
  resources:
    requests: { cpu: 10m, memory: 48Mi }
    limits: { cpu: 200m, memory: 96Mi }
{{- end -}}

{{/* The Job-level half of the dependency check: exit 3 of a wait-for container fails the Job at once. */}}
{{- define "fapiao.dependencyFailurePolicy" -}}
podFailurePolicy:
  rules:
    - action: FailJob
      onExitCodes:
        containerName: wait-for-{{ . }}
        operator: In
        values: [3]
    - action: Ignore
      onPodConditions:
        - type: DisruptionTarget
          status: "True"
{{- end -}}

{{/* Hook metadata: weight orders migrations (-10) before topics (-5); the apps come after all hooks. */}}
{{- define "fapiao.hookAnnotations" -}}
helm.sh/hook: pre-install,pre-upgrade
helm.sh/hook-weight: {{ .weight | quote }}
helm.sh/hook-delete-policy: {{ .deletePolicy | default "before-hook-creation,hook-succeeded" }}
{{- end -}}

{{- define "fapiao.hookServiceAccount" -}}
{{- $sa := .Values.serviceAccount -}}
{{- if $sa.create -}}
{{- printf "%s-hooks" (include "fapiao.fullname" .) | trunc 63 | trimSuffix "-" -}}
{{- else -}}
{{- $sa.name | default "default" -}}
{{- end -}}
{{- end -}}

{{/*
Peak MySQL connections of the release: per enabled component, its most pods (maxReplicas under an
autoscaler, else replicas) plus the rolling update's surge (25%, rounded up), times database.poolSize;
plus one migration Job (its pool and one connection that creates the schema; hooks run one at a time).
*/}}
{{- define "fapiao.dbConnectionBudget" -}}
{{- $pool := int .Values.database.poolSize -}}
{{- $total := add $pool 1 -}}
{{- range $name, $_ := .Values.components -}}
{{- $ctx := dict "root" $ "name" $name -}}
{{- include "fapiao.resolve" $ctx -}}
{{- if $ctx.c.enabled -}}
{{- $pods := int (ternary $ctx.c.autoscaling.maxReplicas $ctx.c.replicas $ctx.c.autoscaling.enabled) -}}
{{- $surge := div (add $pods 3) 4 -}}
{{- $total = add $total (mul (add $pods $surge) $pool) -}}
{{- end -}}
{{- end -}}
{{- $total -}}
{{- end -}}
