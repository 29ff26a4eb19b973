{{/* Objects rendered once per enabled component by components.yaml; ctx is a resolved component. */}}

{{- define "fapiao.serviceAccount" -}}
apiVersion: v1
kind: ServiceAccount
metadata:
  name: {{ include "fapiao.serviceAccountName" . }}
  labels:
    {{- include "fapiao.componentLabels" . | nindent 4 }}
  {{- with include "fapiao.annotations" (dict "root" .root "extra" .root.Values.serviceAccount.annotations) }}{{ . | nindent 2 }}{{- end }}
automountServiceAccountToken: {{ .root.Values.serviceAccount.automountToken }}
{{- end -}}

{{- define "fapiao.configMap" -}}
apiVersion: v1
kind: ConfigMap
metadata:
  name: {{ .fullname }}
  labels:
    {{- include "fapiao.componentLabels" . | nindent 4 }}
  {{- with include "fapiao.annotations" (dict "root" .root) }}{{ . | nindent 2 }}{{- end }}
data:
  {{- range $key, $value := .config }}
  {{ $key }}: {{ $value | quote }}
  {{- end }}
{{- end -}}

{{- define "fapiao.deployment" -}}
{{- $c := .c -}}
apiVersion: apps/v1
kind: Deployment
metadata:
  name: {{ .fullname }}
  labels:
    {{- include "fapiao.componentLabels" . | nindent 4 }}
  {{- with include "fapiao.annotations" (dict "root" .root) }}{{ . | nindent 2 }}{{- end }}
spec:
  {{- /* With an HPA or a ScaledObject the replica count belongs to it: a rendered `replicas` would reset it on every upgrade. */}}
  {{- if not $c.autoscaling.enabled }}
  replicas: {{ $c.replicas }}
  {{- end }}
  revisionHistoryLimit: 5
  selector:
    matchLabels:
      {{- include "fapiao.selectorLabels" . | nindent 6 }}
  strategy:
    type: RollingUpdate
    rollingUpdate:
      maxSurge: 25%
      maxUnavailable: 0
  template:
    metadata:
      labels:
        {{- include "fapiao.componentLabels" . | nindent 8 }}
        {{- with $c.podLabels }}
        {{- toYaml . | nindent 8 }}
        {{- end }}
      annotations:
        checksum/config: {{ toJson .config | sha256sum }}
        {{- with .root.Values.commonAnnotations }}
        {{- toYaml . | nindent 8 }}
        {{- end }}
        {{- with $c.podAnnotations }}
        {{- toYaml . | nindent 8 }}
        {{- end }}
    spec:
      serviceAccountName: {{ include "fapiao.serviceAccountName" . }}
      {{- include "fapiao.podCommon" . | nindent 6 }}
      {{- /* The pod gets the preStop pause plus the app's own grace period plus a margin before SIGKILL. */}}
      terminationGracePeriodSeconds: {{ add (int $c.preStopSleepSeconds) (div (add (int64 $c.shutdownGraceMs) 999) 1000) 5 }}
      {{- with $c.topologySpread }}
      topologySpreadConstraints:
        {{- range . }}
        - topologyKey: {{ .topologyKey }}
          maxSkew: {{ .maxSkew }}
          whenUnsatisfiable: {{ .whenUnsatisfiable }}
          labelSelector:
            matchLabels:
              {{- include "fapiao.selectorLabels" $ | nindent 14 }}
        {{- end }}
      {{- end }}
      {{- with $c.affinity }}
      affinity:
        {{- toYaml . | nindent 8 }}
      {{- end }}
      {{- with $c.initContainers }}
      initContainers:
        {{- toYaml . | nindent 8 }}
      {{- end }}
      containers:
        - name: {{ .name }}
          {{- include "fapiao.containerCommon" . | nindent 10 }}
          command:
            - node
            - --require
            - ./dist/libs/platform/observability/src/register.js
            - dist/apps/{{ .name }}/src/main.js
          ports:
            - name: http
              containerPort: {{ $c.port }}
              protocol: TCP
            {{- /* /metrics has its own port: the Ingress and HTTPRoute route to http only. */}}
            - name: metrics
              containerPort: {{ .root.Values.metrics.port }}
              protocol: TCP
          {{- /* The chart's ConfigMap first: a later extraEnvFrom source overrides its keys. */}}
          envFrom:
            - configMapRef:
                name: {{ .fullname }}
            {{- with $c.extraEnvFrom }}
            {{- toYaml . | nindent 12 }}
            {{- end }}
          env:
            {{- include "fapiao.secretEnv" . | nindent 12 }}
            {{- include "fapiao.otelEnv" . | nindent 12 }}
            {{- with $c.extraEnv }}
            {{- toYaml . | nindent 12 }}
            {{- end }}
          startupProbe:
            httpGet: { path: /healthz, port: http }
            {{- toYaml $c.probes.startup | nindent 12 }}
          livenessProbe:
            httpGet: { path: /healthz, port: http }
            {{- toYaml $c.probes.liveness | nindent 12 }}
          readinessProbe:
            httpGet: { path: /readyz, port: http }
            {{- toYaml $c.probes.readiness | nindent 12 }}
          lifecycle:
            preStop:
              sleep:
                seconds: {{ $c.preStopSleepSeconds }}
          resources:
            {{- toYaml $c.resources | nindent 12 }}
        {{- with $c.sidecars }}
        {{- toYaml . | nindent 8 }}
        {{- end }}
{{- end -}}

{{- define "fapiao.service" -}}
apiVersion: v1
kind: Service
metadata:
  name: {{ .fullname }}
  labels:
    {{- include "fapiao.componentLabels" . | nindent 4 }}
  {{- with include "fapiao.annotations" (dict "root" .root) }}{{ . | nindent 2 }}{{- end }}
spec:
  type: {{ .root.Values.service.type }}
  selector:
    {{- include "fapiao.selectorLabels" . | nindent 4 }}
  ports:
    - name: http
      port: {{ .c.port }}
      targetPort: http
      protocol: TCP
    - name: metrics
      port: {{ .root.Values.metrics.port }}
      targetPort: metrics
      protocol: TCP
{{- end -}}

{{- define "fapiao.checkAutoscaling" -}}
{{- $a := .c.autoscaling -}}
{{- if gt (int $a.minReplicas) (int $a.maxReplicas) }}
{{- fail (printf "components.%s.autoscaling: minReplicas (%v) exceeds maxReplicas (%v)" .name $a.minReplicas $a.maxReplicas) }}
{{- end -}}
{{- if and (eq $a.mode "keda") (not (include "fapiao.consumedTopics" . | fromJsonArray)) }}
{{- fail (printf "components.%s.autoscaling.mode is keda, but %s consumes no Kafka topic: there is no consumer-group lag to scale on (use mode hpa)" .name .name) }}
{{- end -}}
{{- end -}}

{{/* CPU target always; memory only when targetMemoryUtilizationPercentage is set (Node's heap rarely shrinks, so a memory target scales up and never back). */}}
{{- define "fapiao.hpa" -}}
{{- $a := .c.autoscaling -}}
apiVersion: autoscaling/v2
kind: HorizontalPodAutoscaler
metadata:
  name: {{ .fullname }}
  labels:
    {{- include "fapiao.componentLabels" . | nindent 4 }}
  {{- with include "fapiao.annotations" (dict "root" .root) }}{{ . | nindent 2 }}{{- end }}
spec:
  scaleTargetRef:
    apiVersion: apps/v1
    kind: Deployment
    name: {{ .fullname }}
  minReplicas: {{ $a.minReplicas }}
  maxReplicas: {{ $a.maxReplicas }}
  metrics:
    - type: Resource
      resource:
        name: cpu
        target:
          type: Utilization
          averageUtilization: {{ $a.targetCPUUtilizationPercentage }}
    {{- with $a.targetMemoryUtilizationPercentage }}
    - type: Resource
      resource:
        name: memory
        target:
          type: Utilization
          averageUtilization: {{ . }}
    {{- end }}
  behavior:
    {{- toYaml $a.behavior | nindent 4 }}
{{- end -}}

{{/*
KEDA instead of the HPA (autoscaling.mode: keda): KEDA creates and owns the HPA itself, so the chart
renders none for this component. One kafka trigger per consumer group the component reads with
(topic and .retry), plus the CPU target; KEDA scales on the largest.
*/}}
{{- define "fapiao.scaledObject" -}}
{{- $a := .c.autoscaling -}}
{{- $k := $a.keda -}}
{{- /* Secured Kafka: the component's own TriggerAuthentication (rendered beside it) unless it names one. */ -}}
{{- $authentication := $k.authenticationRef | default (ternary .fullname "" (eq (include "fapiao.kafkaSecured" .) "true")) -}}
apiVersion: keda.sh/v1alpha1
kind: ScaledObject
metadata:
  name: {{ .fullname }}
  labels:
    {{- include "fapiao.componentLabels" . | nindent 4 }}
  {{- with include "fapiao.annotations" (dict "root" .root) }}{{ . | nindent 2 }}{{- end }}
spec:
  scaleTargetRef:
    apiVersion: apps/v1
    kind: Deployment
    name: {{ .fullname }}
  minReplicaCount: {{ $a.minReplicas }}
  maxReplicaCount: {{ $a.maxReplicas }}
  pollingInterval: {{ $k.pollingInterval }}
  cooldownPeriod: {{ $k.cooldownPeriod }}
  advanced:
    horizontalPodAutoscalerConfig:
      behavior:
        {{- toYaml $a.behavior | nindent 8 }}
  triggers:
    {{- range (include "fapiao.consumerGroups" . | fromJsonArray) }}
    - type: kafka
      {{- with $authentication }}
      authenticationRef:
        name: {{ . }}
      {{- end }}
      metadata:
        bootstrapServers: {{ $.root.Values.kafka.brokers | quote }}
        consumerGroup: {{ .group | quote }}
        topic: {{ .topic | quote }}
        {{- with $.kafka.keda }}
        {{- with .sasl }}
        sasl: {{ . }}
        {{- end }}
        {{- with .tls }}
        tls: {{ . }}
        {{- end }}
        {{- end }}
        lagThreshold: {{ $k.lagThreshold | quote }}
        activationLagThreshold: {{ $k.activationLagThreshold | quote }}
        offsetResetPolicy: earliest
    {{- end }}
    {{- with $a.targetCPUUtilizationPercentage }}
    - type: cpu
      metricType: Utilization
      metadata:
        value: {{ . | quote }}
    {{- end }}
{{- end -}}

{{- define "fapiao.pdb" -}}
{{- $budget := .c.podDisruptionBudget -}}
{{- if eq (len $budget) 1 | not }}
{{- fail (printf "components.%s.podDisruptionBudget: set exactly one of minAvailable and maxUnavailable (null removes the default)" .name) }}
{{- end -}}
apiVersion: policy/v1
kind: PodDisruptionBudget
metadata:
  name: {{ .fullname }}
  labels:
    {{- include "fapiao.componentLabels" . | nindent 4 }}
  {{- with include "fapiao.annotations" (dict "root" .root) }}{{ . | nindent 2 }}{{- end }}
spec:
  {{- toYaml $budget | nindent 2 }}
  # A crash-looping pod must not block node drains.
  unhealthyPodEvictionPolicy: AlwaysAllow
  selector:
    matchLabels:
      {{- include "fapiao.selectorLabels" . | nindent 6 }}
{{- end -}}

{{/* Ingress to one component: from the release's pods, the ingress peers (public components) and scrapers, plus extraIngress. */}}
{{- define "fapiao.networkPolicy" -}}
{{- $np := .root.Values.networkPolicy -}}
apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata:
  name: {{ .fullname }}
  labels:
    {{- include "fapiao.componentLabels" . | nindent 4 }}
  {{- with include "fapiao.annotations" (dict "root" .root) }}{{ . | nindent 2 }}{{- end }}
spec:
  podSelector:
    matchLabels:
      {{- include "fapiao.selectorLabels" . | nindent 6 }}
  policyTypes: [Ingress]
  ingress:
    - from:
        - podSelector:
            matchLabels:
              {{- include "fapiao.releaseSelectorLabels" .root | nindent 14 }}
        {{- if and (has .name (list "auth" "order")) $np.ingressFrom }}
        {{- toYaml $np.ingressFrom | nindent 8 }}
        {{- end }}
      ports:
        - port: http
          protocol: TCP
    {{- with $np.metricsFrom }}
    {{- /* Scrapers reach the metrics port only, never the API. */}}
    - from:
        {{- toYaml . | nindent 8 }}
      ports:
        - port: metrics
          protocol: TCP
    {{- end }}
    {{- with $np.extraIngress }}
    {{- toYaml . | nindent 4 }}
    {{- end }}
{{- end -}}
