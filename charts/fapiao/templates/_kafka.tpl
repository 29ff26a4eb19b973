{{/*
Kafka for the chart: topics and per-service ACLs come from files/kafka-acls.json, generated from
libs/contracts/src/kafka-acls.ts (charts/fapiao/tests/kafka.spec.ts fails when the two differ), with
kafka.prefix put before every topic and group name, as the services do at their Kafka client.
*/}}

{{- define "fapiao.kafkaAcls" -}}
{{- .Files.Get "files/kafka-acls.json" -}}
{{- end -}}

{{/* The contracts' names of every topic, companions included. */}}
{{- define "fapiao.kafkaTopics" -}}
{{- toJson (include "fapiao.kafkaAcls" . | fromJson).topics -}}
{{- end -}}

{{/* The topics a component consumes (none for auth and the simulator). ctx: component name. Called with dict root name. */}}
{{- define "fapiao.consumedTopics" -}}
{{- $service := get (include "fapiao.kafkaAcls" .root | fromJson).services .name | default dict -}}
{{- toJson ($service.consumes | default list) -}}
{{- end -}}

{{/*
[{topic, group}] a component consumes, as named on the cluster (kafka.prefix before each): the live topic
and its .retry companion, each with its group. ctx: dict root name.
*/}}
{{- define "fapiao.consumerGroups" -}}
{{- $prefix := .root.Values.kafka.prefix -}}
{{- $rows := list -}}
{{- range (include "fapiao.consumedTopics" . | fromJsonArray) -}}
{{- $group := printf "%sfapiao-%s.%s" $prefix $.name . -}}
{{- $rows = append $rows (dict "topic" (printf "%s%s" $prefix .) "group" $group) -}}
{{- $rows = append $rows (dict "topic" (printf "%s%s.retry" $prefix .) "group" (printf "%s.retry" $group)) -}}
{{- end -}}
{{- toJson $rows -}}
{{- end -}}

{{/*
How one Kafka client of the release connects: ctx is a resolved component, or dict root name "topic-job"
(the topic Job: kafka.sasl/kafka.tls only). Returns JSON {env, volumes, mounts, secrets, keda}: the
non-secret variables (file paths, never values), the Secret volumes and mounts, the (secret, key, value)
rows the preflight checks, and what KEDA's TriggerAuthentication needs. Fails, naming the values, on a
half-configured SASL or TLS.
*/}}
{{- define "fapiao.kafkaClient" -}}
{{- $root := .root -}}
{{- $k := $root.Values.kafka -}}
{{- $sasl := $k.sasl -}}
{{- $tls := $k.tls -}}
{{- $isJob := eq .name "topic-job" -}}
{{- $own := dict -}}
{{- if not $isJob }}{{ $own = .c.kafkaSasl | default dict }}{{ end -}}
{{- $where := ternary "the topic Job" (printf "components.%s" .name) $isJob -}}
{{- $user := "" -}}
{{- $strimziUser := and $k.strimzi.users (not $isJob) -}}
{{- if $strimziUser }}{{ $user = include "fapiao.kafkaUserName" . }}{{ end -}}
{{- $env := dict "KAFKA_PREFIX" (toString $k.prefix) -}}
{{- $volumes := list -}}
{{- $mounts := list -}}
{{- $secrets := list -}}
{{- $refs := list -}}
{{- $keda := dict -}}

{{- if and $strimziUser (eq $k.strimzi.authentication "scram-sha-512") (ne $sasl.mechanism "scram-sha-512") -}}
{{- fail (printf "kafka.strimzi.users with authentication scram-sha-512 needs kafka.sasl.mechanism=scram-sha-512 (it is %q)" $sasl.mechanism) -}}
{{- end -}}
{{- /* SASL: the component's own Secret, else (for a Strimzi SCRAM user) the user's, else kafka.sasl's. */ -}}
{{- $secret := $own.existingSecret | default "" -}}
{{- $usernameKey := $own.usernameKey | default $sasl.usernameKey -}}
{{- $passwordKey := $own.passwordKey | default $sasl.passwordKey -}}
{{- $literalUser := "" -}}
{{- if and (not $secret) $strimziUser (eq $k.strimzi.authentication "scram-sha-512") -}}
{{- $secret = $user -}}
{{- $passwordKey = "password" -}}
{{- $literalUser = $user -}}
{{- end -}}
{{- $secret = $secret | default $sasl.existingSecret -}}
{{- if and $sasl.mechanism (not $secret) -}}
{{- fail (printf "kafka.sasl.mechanism is %s, but no Secret holds the Kafka credentials of %s: set kafka.sasl.existingSecret (or components.<name>.kafkaSasl.existingSecret, one Kafka user per service)" $sasl.mechanism $where) -}}
{{- end -}}
{{- if and $secret (not $sasl.mechanism) -}}
{{- fail (printf "a Kafka SASL Secret (%s) is set for %s, but kafka.sasl.mechanism is empty: set it to plain, scram-sha-256, scram-sha-512 or oauthbearer" $secret $where) -}}
{{- end -}}
{{- if $sasl.mechanism -}}
{{- if and (eq $sasl.mechanism "oauthbearer") (not $sasl.oauthbearer.tokenUrl) -}}
{{- fail "kafka.sasl.mechanism is oauthbearer, but kafka.sasl.oauthbearer.tokenUrl is empty: set the token endpoint of the client_credentials grant" -}}
{{- end -}}
{{- $_ := set $env "KAFKA_SASL_MECHANISM" $sasl.mechanism -}}
{{- $items := list (dict "key" $passwordKey "path" "password") -}}
{{- if $literalUser -}}
{{- $_ := set $env "KAFKA_SASL_USERNAME" $literalUser -}}
{{- else -}}
{{- $items = prepend $items (dict "key" $usernameKey "path" "username") -}}
{{- $_ := set $env "KAFKA_SASL_USERNAME_FILE" "/etc/fapiao/kafka/sasl/username" -}}
{{- $secrets = append $secrets (dict "secret" $secret "key" $usernameKey "value" (printf "kafka.sasl (%s)" $where)) -}}
{{- $refs = append $refs (dict "parameter" "username" "name" $secret "key" $usernameKey) -}}
{{- end -}}
{{- $_ := set $env "KAFKA_SASL_PASSWORD_FILE" "/etc/fapiao/kafka/sasl/password" -}}
{{- $secrets = append $secrets (dict "secret" $secret "key" $passwordKey "value" (printf "kafka.sasl (%s)" $where)) -}}
{{- $refs = append $refs (dict "parameter" "password" "name" $secret "key" $passwordKey) -}}
{{- $volumes = append $volumes (dict "name" "kafka-sasl" "secret" (dict "secretName" $secret "defaultMode" 288 "items" $items)) -}}
{{- $mounts = append $mounts (dict "name" "kafka-sasl" "mountPath" "/etc/fapiao/kafka/sasl" "readOnly" true) -}}
{{- if eq $sasl.mechanism "oauthbearer" -}}
{{- $_ := set $env "KAFKA_SASL_OAUTHBEARER_TOKEN_URL" $sasl.oauthbearer.tokenUrl -}}
{{- with $sasl.oauthbearer.scope }}{{ $_ := set $env "KAFKA_SASL_OAUTHBEARER_SCOPE" . }}{{ end -}}
{{- end -}}
{{- $_ := set $keda "sasl" (get (dict "plain" "plaintext" "scram-sha-256" "scram_sha256" "scram-sha-512" "scram_sha512" "oauthbearer" "oauthbearer") $sasl.mechanism) -}}
{{- if $literalUser }}{{ $_ := set $keda "literalUser" $literalUser }}{{ end -}}
{{- end -}}

{{- /* TLS: the CA and a client certificate (the component's Strimzi TLS user's, else kafka.tls's). */ -}}
{{- $clientSecret := $tls.clientCertSecret -}}
{{- $certKey := $tls.certKey -}}
{{- $keyKey := $tls.keyKey -}}
{{- if and $strimziUser (eq $k.strimzi.authentication "tls") -}}
{{- if not $tls.enabled -}}
{{- fail "kafka.strimzi.users with authentication tls needs kafka.tls.enabled=true (the users' certificates are presented over TLS)" -}}
{{- end -}}
{{- $clientSecret = $user -}}
{{- $certKey = "user.crt" -}}
{{- $keyKey = "user.key" -}}
{{- end -}}
{{- if and (not $tls.enabled) (or $tls.caSecret $tls.clientCertSecret) -}}
{{- fail (printf "kafka.tls.%s is set, but kafka.tls.enabled is false: enable TLS, or remove the Secret" (ternary "caSecret" "clientCertSecret" (not (empty $tls.caSecret)))) -}}
{{- end -}}
{{- if $tls.enabled -}}
{{- $_ := set $env "KAFKA_SSL" "true" -}}
{{- $_ := set $keda "tls" "enable" -}}
{{- with $tls.caSecret -}}
{{- $_ := set $env "KAFKA_SSL_CA_FILE" "/etc/fapiao/kafka/ca/ca.crt" -}}
{{- $volumes = append $volumes (dict "name" "kafka-ca" "secret" (dict "secretName" . "defaultMode" 292 "items" (list (dict "key" $tls.caKey "path" "ca.crt")))) -}}
{{- $mounts = append $mounts (dict "name" "kafka-ca" "mountPath" "/etc/fapiao/kafka/ca" "readOnly" true) -}}
{{- $secrets = append $secrets (dict "secret" . "key" $tls.caKey "value" "kafka.tls.caSecret") -}}
{{- $refs = append $refs (dict "parameter" "ca" "name" . "key" $tls.caKey) -}}
{{- end -}}
{{- with $clientSecret -}}
{{- $_ := set $env "KAFKA_SSL_CERT_FILE" "/etc/fapiao/kafka/client/tls.crt" -}}
{{- $_ := set $env "KAFKA_SSL_KEY_FILE" "/etc/fapiao/kafka/client/tls.key" -}}
{{- $volumes = append $volumes (dict "name" "kafka-client-cert" "secret" (dict "secretName" . "defaultMode" 288 "items" (list (dict "key" $certKey "path" "tls.crt") (dict "key" $keyKey "path" "tls.key")))) -}}
{{- $mounts = append $mounts (dict "name" "kafka-client-cert" "mountPath" "/etc/fapiao/kafka/client" "readOnly" true) -}}
{{- $secrets = append $secrets (dict "secret" . "key" $certKey "value" "kafka.tls.clientCertSecret") -}}
{{- $secrets = append $secrets (dict "secret" . "key" $keyKey "value" "kafka.tls.clientCertSecret") -}}
{{- $refs = append $refs (dict "parameter" "cert" "name" . "key" $certKey) -}}
{{- $refs = append $refs (dict "parameter" "key" "name" . "key" $keyKey) -}}
{{- end -}}
{{- end -}}
{{- $_ := set $keda "refs" $refs -}}
{{- toJson (dict "env" $env "volumes" $volumes "mounts" $mounts "secrets" $secrets "keda" $keda) -}}
{{- end -}}

{{/* The Strimzi KafkaUser (and SCRAM username) of a component: its object name. ctx: dict root name. */}}
{{- define "fapiao.kafkaUserName" -}}
{{- include "fapiao.componentFullname" (dict "root" .root "name" .name) -}}
{{- end -}}

{{/*
KEDA's credentials for a component's lag triggers, when Kafka is secured and the component names no
TriggerAuthentication of its own (autoscaling.keda.authenticationRef). ctx: resolved component.
*/}}
{{- define "fapiao.triggerAuthentication" -}}
{{- $client := include "fapiao.kafkaClient" . | fromJson -}}
{{- if $client.keda.literalUser -}}
{{- fail (printf "components.%s.autoscaling.mode is keda with a Strimzi SCRAM user, whose Secret has no username key for KEDA: set components.%s.autoscaling.keda.authenticationRef to a TriggerAuthentication of your own" .name .name) -}}
{{- end -}}
{{- if eq (toString $client.keda.sasl) "oauthbearer" -}}
{{- fail (printf "components.%s.autoscaling.mode is keda with SASL OAUTHBEARER: KEDA takes the token endpoint only from a Secret; set components.%s.autoscaling.keda.authenticationRef to a TriggerAuthentication of your own" .name .name) -}}
{{- end -}}
apiVersion: keda.sh/v1alpha1
kind: TriggerAuthentication
metadata:
  name: {{ .fullname }}
  labels:
    {{- include "fapiao.componentLabels" . | nindent 4 }}
  {{- with include "fapiao.annotations" (dict "root" .root) }}{{ . | nindent 2 }}{{- end }}
spec:
  secretTargetRef:
    {{- toYaml $client.keda.refs | nindent 4 }}
{{- end -}}

{{/* Whether a component's KEDA triggers need credentials: "true" or "". ctx: resolved component. */}}
{{- define "fapiao.kafkaSecured" -}}
{{- $k := .root.Values.kafka -}}
{{- if or $k.sasl.mechanism $k.tls.enabled -}}true{{- end -}}
{{- end -}}

{{/* Who creates the topics: job, strimzi or none (kafka.topics.create=false, deprecated, is none). */}}
{{- define "fapiao.topicsMode" -}}
{{- if not .Values.kafka.topics.create -}}none{{- else -}}{{ .Values.kafka.topics.mode }}{{- end -}}
{{- end -}}

{{- define "fapiao.strimziCluster" -}}
{{- $cluster := .Values.kafka.strimzi.cluster -}}
{{- if not $cluster -}}
{{- fail "kafka.strimzi.cluster is empty: KafkaTopic and KafkaUser resources need the name of the Strimzi Kafka cluster (their strimzi.io/cluster label)" -}}
{{- end -}}
{{- $cluster -}}
{{- end -}}
