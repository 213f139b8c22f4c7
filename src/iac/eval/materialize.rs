//! From the interpreter's values to the file's model: which resources the project holds,
//! each service's settings with the SDK's precedence, the keys it drops, the unknowns.

use super::*;

impl<'a> Eval<'a, '_> {
    pub(super) fn finish(&mut self, result: V<'a>, entry_span: Span) {
        let (name, resources) = match result {
            V::Project(project) => {
                let resources = match &project.definition {
                    V::Obj(props, _) => get(props, "resources")
                        .or_else(|| get(props, "services"))
                        .map(|p| p.value.clone()),
                    _ => None,
                };
                (Some(project.name.clone()), resources)
            }
            // A program may return the definition itself: `return { name, resources }`.
            V::Obj(props, _) => (
                get(&props, "name").map(|p| p.value.clone()),
                get(&props, "resources").map(|p| p.value.clone()),
            ),
            V::Unknown(what, span) => {
                self.note(span, format!("the program's result: {what}"));
                (None, None)
            }
            other => {
                let span = value_span(&other);
                self.note(span, "the program does not return project(...)".into());
                (None, None)
            }
        };
        if let Some(name) = name {
            let span = value_span(&name);
            self.file.project_name = Some(self.string_setting(&name, span));
        }
        let included: Vec<usize> = match resources {
            Some(V::Arr(items, _)) => {
                let mut included = Vec::new();
                for item in flatten(items) {
                    match item {
                        V::Node(index, _) if !included.contains(&index) => included.push(index),
                        V::Node(..) => {}
                        other => {
                            let span = value_span(&other);
                            let what = match other {
                                V::Unknown(what, _) => format!("a resource: {what}"),
                                _ => format!("a resource that is not a builder's result: {}", self.excerpt(&span)),
                            };
                            self.note(span, what);
                        }
                    }
                }
                included
            }
            other => {
                // Without a readable resource list, everything the program built is the best
                // statement of what the file declares.
                if let Some(other) = other {
                    let span = value_span(&other);
                    self.note(
                        span.clone(),
                        format!("the project's resources: {}", self.excerpt(&span)),
                    );
                } else if self.file.project_name.is_some() {
                    self.note(entry_span, "the project declares no resources".into());
                }
                (0..self.nodes.len()).collect()
            }
        };
        for index in included {
            self.materialize(index);
        }
        // A constant used by several services is one unknown, where it is written.
        let mut seen = std::collections::HashSet::new();
        self.file
            .unknowns
            .retain(|u| seen.insert((u.span.clone(), u.what.clone())));
    }

    fn node_name(&self, index: usize) -> Setting<String> {
        match self.nodes.get(index).map(|node| &node.name) {
            Some(V::Str(name, _)) => Setting::Known(name.clone()),
            Some(other) => Setting::Unknown(format!(
                "a name not known statically: {}",
                self.excerpt(&value_span(other))
            )),
            None => Setting::Unknown("?".into()),
        }
    }

    fn materialize(&mut self, index: usize) {
        let Some(node) = self.nodes.get(index) else { return };
        let kind = node.kind;
        let call_span = node.call_span.clone();
        let group = node.group.clone();
        let name_span = value_span(&node.name);
        let name = Spanned {
            value: self.node_name(index),
            span: name_span,
        };
        if let Setting::Unknown(what) = &name.value {
            self.note(name.span.clone(), what.clone());
        }
        match kind {
            NodeKind::Service(service_kind) => {
                let service = self.service(index, name, service_kind, call_span, group);
                self.file.services.push(service);
            }
            NodeKind::Group => {
                // Members in the order the group lists them, then any that joined by `groupId`.
                let mut indices: Vec<usize> = match self.nodes.get(index).and_then(|n| n.config.as_ref()) {
                    Some(V::Arr(items, _)) => items
                        .iter()
                        .filter_map(|item| if let V::Node(i, _) = item { Some(*i) } else { None })
                        .collect(),
                    _ => Vec::new(),
                };
                for (i, node) in self.nodes.iter().enumerate() {
                    let joined = name.value.known().is_some_and(|g| node.group.as_ref() == Some(g));
                    if joined && !indices.contains(&i) {
                        indices.push(i);
                    }
                }
                let members = indices
                    .into_iter()
                    .filter_map(|i| self.node_name(i).known().cloned())
                    .collect();
                self.file.groups.push(IacGroup { name, members });
            }
            NodeKind::Resource(resource_kind) => {
                let provides = match resource_kind {
                    ResourceKind::Postgres => keys::POSTGRES_VARS,
                    ResourceKind::Mysql => keys::MYSQL_VARS,
                    ResourceKind::Redis => keys::REDIS_VARS,
                    ResourceKind::Mongo => keys::MONGO_VARS,
                    ResourceKind::Database => keys::PROVIDED_VARS,
                    ResourceKind::Bucket => keys::BUCKET_VARS,
                    ResourceKind::Volume => &[],
                };
                let assigned = self.nodes.get(index).map(|n| n.assigned.clone()).unwrap_or_default();
                for (path, _, span) in assigned {
                    // `Postgres.networking = {...}` / `.deploy = {...}` shape what railcheck does not
                    // model for databases; anything else changes what it reads.
                    if !matches!(path.first().map(String::as_str), Some("networking" | "deploy")) {
                        let what = format!("assignment not followed: {}", self.excerpt(&span));
                        self.note(span, what);
                    }
                }
                let resource = IacResource {
                    kind: resource_kind,
                    name,
                    call_span,
                    provides,
                    group,
                };
                match resource_kind {
                    ResourceKind::Volume => self.file.volumes.push(resource),
                    ResourceKind::Bucket => self.file.buckets.push(resource),
                    _ => self.file.databases.push(resource),
                }
            }
        }
    }

    fn service(
        &mut self,
        index: usize,
        name: Spanned<Setting<String>>,
        kind: ServiceKind,
        call_span: Span,
        group: Option<String>,
    ) -> IacService {
        let service_name = match &name.value {
            Setting::Known(n) => n.clone(),
            Setting::Unknown(_) => self.excerpt(&name.span),
        };
        let mut service = IacService {
            name,
            call_span,
            kind,
            source: None,
            root: None,
            builder: None,
            build_command: None,
            dockerfile_path: None,
            watch_patterns: None,
            railpack_version: None,
            start: None,
            pre_deploy: None,
            healthcheck_path: None,
            healthcheck_timeout: None,
            restart_policy_type: None,
            restart_policy_max_retries: None,
            cron_schedule: None,
            num_replicas: None,
            region: None,
            sleep_application: None,
            multi_region: None,
            config_file: None,
            group,
            env: Vec::new(),
        };
        let (config, assigned) = match self.nodes.get(index) {
            Some(node) => (node.config.clone(), node.assigned.clone()),
            None => (None, Vec::new()),
        };
        let mut props = match config {
            None | Some(V::Undefined(_)) => Vec::new(),
            Some(V::Obj(props, _)) => props,
            Some(other) => {
                let span = value_span(&other);
                let what = format!("the config of service {service_name}: {}", self.excerpt(&span));
                self.note(span, what);
                Vec::new()
            }
        };
        self.apply_assignments(&service_name, &mut props, assigned);
        self.check_keys(&service_name, &props, Level::Service);

        let sub = |key: &str| match get(&props, key).map(|p| &p.value) {
            Some(V::Obj(inner, _)) => inner.clone(),
            _ => Vec::new(),
        };
        let build_props = sub("build");
        let deploy = sub("deploy");
        let run = sub("run");
        self.check_keys(&service_name, &build_props, Level::Build);
        self.check_keys(&service_name, &deploy, Level::Deploy);
        self.check_keys(&service_name, &run, Level::Run);
        for key in ["deploy", "run"] {
            if let Some(prop) = get(&props, key)
                && !matches!(prop.value, V::Obj(..) | V::Null(_) | V::Undefined(_))
            {
                let span = value_span(&prop.value);
                let what = format!("{key} of service {service_name}: {}", self.excerpt(&span));
                self.note(span, what);
            }
        }

        // source and root: a builder's `rootDirectory` wins over `root ?? rootDirectory`.
        let root_prop = first_set(&[get(&props, "root"), get(&props, "rootDirectory")]);
        let mut source_root = None;
        if let Some(prop) = get(&props, "source") {
            match &prop.value {
                V::Source(source) => {
                    let options = match &source.options {
                        Some(V::Obj(options, _)) => options.clone(),
                        _ => Vec::new(),
                    };
                    source_root = get(&options, "rootDirectory").cloned();
                    let target = source.target.as_ref().map(|t| self.string_setting(t, value_span(t)));
                    let branch = get(&options, "branch").map(|p| self.string_setting(&p.value, value_span(&p.value)));
                    service.source = Some(IacSource {
                        kind: source.kind,
                        target,
                        branch,
                        span: source.span.clone(),
                    });
                }
                V::Obj(inner, span) => {
                    let (kind, target) = match (get(inner, "repo"), get(inner, "image")) {
                        (Some(repo), _) => (SourceKind::Github, Some(repo)),
                        (None, Some(image)) => (SourceKind::Image, Some(image)),
                        _ => (SourceKind::Empty, None),
                    };
                    let target = target.map(|p| self.string_setting(&p.value, value_span(&p.value)));
                    let branch = get(inner, "branch").map(|p| self.string_setting(&p.value, value_span(&p.value)));
                    service.source = Some(IacSource {
                        kind,
                        target,
                        branch,
                        span: span.clone(),
                    });
                }
                V::Null(_) | V::Undefined(_) => {}
                other => {
                    let span = value_span(other);
                    let what = format!("source of service {service_name}: {}", self.excerpt(&span));
                    self.note(span.clone(), what);
                }
            }
        }
        service.root = first_set(&[source_root.as_ref(), root_prop]).and_then(|p| self.string_field(p));

        match get(&props, "build").map(|p| &p.value) {
            Some(V::Str(..)) => service.build_command = get(&props, "build").and_then(|p| self.string_field(p)),
            Some(V::Obj(..)) => {
                service.builder = get(&build_props, "builder").and_then(|p| self.string_field(p));
                service.build_command = get(&build_props, "buildCommand").and_then(|p| self.string_field(p));
                service.dockerfile_path = get(&build_props, "dockerfilePath").and_then(|p| self.string_field(p));
                service.railpack_version = get(&build_props, "railpackVersion").and_then(|p| self.string_field(p));
                service.watch_patterns = get(&build_props, "watchPatterns").and_then(|p| self.list_field(p, false));
            }
            Some(V::Null(_) | V::Undefined(_)) | None => {}
            Some(other) => {
                let span = value_span(other);
                let what = format!("build of service {service_name}: {}", self.excerpt(&span));
                self.note(span.clone(), what.clone());
                service.build_command = Some(Spanned {
                    value: Setting::Unknown(what.clone()),
                    span: span.clone(),
                });
                service.builder = Some(Spanned {
                    value: Setting::Unknown(what),
                    span,
                });
            }
        }

        // The SDK's precedence (dist/iac/index.js, normalizeDeploy).
        let start = first_set(&[
            get(&props, "start"),
            get(&props, "startCommand"),
            get(&run, "command"),
            get(&deploy, "startCommand"),
        ]);
        service.start = start.and_then(|p| self.string_field(p));
        let pre_deploy = first_set(&[
            get(&props, "preDeploy"),
            get(&props, "preDeployCommand"),
            get(&run, "preDeploy"),
            get(&deploy, "preDeployCommand"),
        ]);
        service.pre_deploy = pre_deploy.and_then(|p| self.list_field(p, true));
        let health = first_set(&[
            get(&props, "healthcheck"),
            get(&props, "healthcheckPath"),
            get(&run, "healthcheck"),
            get(&deploy, "healthcheckPath"),
        ]);
        service.healthcheck_path = health.and_then(|p| self.string_field(p));
        let timeout = first_set(&[
            get(&props, "healthcheckTimeout"),
            get(&run, "healthcheckTimeout"),
            get(&deploy, "healthcheckTimeout"),
        ]);
        service.healthcheck_timeout = timeout.and_then(|p| self.number_field(p));
        service.restart_policy_type = get(&deploy, "restartPolicyType").and_then(|p| self.string_field(p));
        service.restart_policy_max_retries = get(&deploy, "restartPolicyMaxRetries").and_then(|p| self.number_field(p));
        service.cron_schedule = get(&deploy, "cronSchedule").and_then(|p| self.string_field(p));
        service.region = get(&deploy, "region").and_then(|p| self.string_field(p));
        service.sleep_application = get(&deploy, "sleepApplication").and_then(|p| self.bool_field(p));
        service.config_file = get(&props, "configFile").and_then(|p| self.string_field(p));
        if service.group.is_none()
            && let Some(Prop {
                value: V::Str(group, _),
                ..
            }) = get(&props, "groupId")
        {
            service.group = Some(group.clone());
        }

        // `replicas: 2` is numReplicas and wins over deploy's; a map is multiRegionConfig.
        let replicas = get(&props, "replicas").filter(|p| !is_nullish(&p.value));
        match replicas.map(|p| &p.value) {
            Some(V::Num(..)) => service.num_replicas = replicas.and_then(|p| self.number_field(p)),
            _ => service.num_replicas = get(&deploy, "numReplicas").and_then(|p| self.number_field(p)),
        }
        let regions = match replicas {
            Some(p) if !matches!(p.value, V::Num(..)) => Some(p),
            _ => first_set(&[get(&props, "regions"), get(&deploy, "multiRegionConfig")]),
        };
        service.multi_region = regions.and_then(|p| self.regions_field(p));

        let env_props: Vec<&Prop<'a>> = ["variables", "env"].iter().filter_map(|key| get(&props, key)).collect();
        for prop in env_props {
            match &prop.value {
                V::Obj(vars, _) => {
                    for var in vars {
                        self.add_var(&mut service.env, var, &service_name);
                    }
                }
                V::Null(_) | V::Undefined(_) => {}
                other => {
                    let span = value_span(other);
                    let what = format!("env of service {service_name}: {}", self.excerpt(&span));
                    self.note(span, what);
                }
            }
        }
        service
    }

    fn apply_assignments(
        &mut self,
        service: &str,
        props: &mut Vec<Prop<'a>>,
        assigned: Vec<(Vec<String>, V<'a>, Span)>,
    ) {
        for (path, value, span) in assigned {
            match path.iter().map(String::as_str).collect::<Vec<_>>().as_slice() {
                ["networking", ..] => {}
                [section @ ("deploy" | "build")] => {
                    props.push(Prop {
                        key: Setting::Known((*section).to_string()),
                        key_span: span,
                        value,
                    });
                }
                [section @ ("deploy" | "build"), key] => {
                    let mut target = match get(props, section).map(|p| p.value.clone()) {
                        Some(V::Obj(inner, s)) => V::Obj(inner, s),
                        _ => V::Obj(Vec::new(), span.clone()),
                    };
                    set_path(&mut target, &[(*key).to_string()], value, span.clone());
                    props.push(Prop {
                        key: Setting::Known((*section).to_string()),
                        key_span: span,
                        value: target,
                    });
                }
                ["variables", name] => {
                    let mut env = V::Obj(Vec::new(), span.clone());
                    set_path(&mut env, &[(*name).to_string()], value, span.clone());
                    props.push(Prop {
                        key: Setting::Known("env".into()),
                        key_span: span,
                        value: env,
                    });
                    // Later `env` props would hide earlier ones; merge instead.
                    merge_env(props);
                }
                _ => {
                    let what = format!("assignment to service {service} not followed: {}", self.excerpt(&span));
                    self.note(span, what);
                }
            }
        }
    }

    fn check_keys(&mut self, service: &str, props: &[Prop<'a>], level: Level) {
        for prop in props {
            let key = match &prop.key {
                Setting::Known(key) => key,
                Setting::Unknown(what) => {
                    self.note(prop.key_span.clone(), format!("{what} in service {service}"));
                    continue;
                }
            };
            if level.knows(key) {
                continue;
            }
            let prefix = match level {
                Level::Service => "",
                Level::Run => "run.",
                Level::Build => "build.",
                Level::Deploy => "deploy.",
            };
            let dropped = DroppedKey {
                service: service.to_string(),
                key: format!("{prefix}{key}"),
                span: prop.key_span.clone(),
                suggestion: level.suggest(key),
            };
            match level {
                Level::Service | Level::Run => self.file.dropped_keys.push(dropped),
                Level::Build | Level::Deploy => self.file.untyped_keys.push(dropped),
            }
        }
    }

    fn add_var(&mut self, env: &mut Vec<IacVar>, var: &Prop<'a>, service: &str) {
        let name = match &var.key {
            Setting::Known(name) => name.clone(),
            Setting::Unknown(what) => {
                self.note(var.key_span.clone(), format!("a variable of service {service}: {what}"));
                return;
            }
        };
        let span = value_span(&var.value);
        let value = self.var_value(&var.value);
        if let IacValue::Unknown(what) = &value {
            self.note(span.clone(), what.clone());
        }
        let new = IacVar {
            name: name.clone(),
            name_span: var.key_span.clone(),
            value: Spanned { value, span },
        };
        // `{...variables, ...env}`: a later key keeps the first one's place.
        match env.iter_mut().find(|existing| existing.name == name) {
            Some(existing) => *existing = new,
            None => env.push(new),
        }
    }

    fn var_value(&self, value: &V<'a>) -> IacValue {
        match value {
            V::Str(s, _) => IacValue::Literal(s.clone()),
            V::Preserve(_) => IacValue::Preserve,
            V::Shared(name, _) => IacValue::Shared(name.clone()),
            V::Ref(index, var, span) => {
                let kind = self.nodes.get(*index).map(|n| n.kind);
                let via_env = self
                    .text
                    .get(span.clone())
                    .is_some_and(|t| !t.trim_start().starts_with("ref"));
                if via_env
                    && matches!(
                        kind,
                        Some(NodeKind::Resource(ResourceKind::Bucket | ResourceKind::Volume))
                    )
                {
                    return IacValue::Unknown(format!(
                        "{}: buckets and volumes have no `.env` in the SDK (evaluation fails); use ref(x, \"{var}\")",
                        self.excerpt(span)
                    ));
                }
                match self.node_name(*index) {
                    Setting::Known(service) => IacValue::TypedRef {
                        service,
                        var: var.clone(),
                    },
                    Setting::Unknown(what) => IacValue::Unknown(format!("reference to {what}")),
                }
            }
            V::Obj(props, _) => {
                if let Some(inner) = get(props, "value") {
                    return match &inner.value {
                        V::Str(s, _) => IacValue::Literal(s.clone()),
                        other => match self.var_value(other) {
                            IacValue::Unknown(what) => IacValue::Unknown(what),
                            _ => IacValue::Unknown(format!("value {}", self.excerpt(&value_span(other)))),
                        },
                    };
                }
                if matches!(get(props, "preserveExisting").map(|p| &p.value), Some(V::Bool(true, _))) {
                    return IacValue::Preserve;
                }
                let text = |key: &str| match get(props, key).map(|p| &p.value) {
                    Some(V::Str(s, _)) => Some(s.clone()),
                    _ => None,
                };
                IacValue::Declared {
                    description: text("description"),
                    optional: matches!(get(props, "isOptional").map(|p| &p.value), Some(V::Bool(true, _))),
                    default: text("defaultValue"),
                }
            }
            V::Unknown(what, _) => IacValue::Unknown(what.clone()),
            V::Num(..) | V::Bool(..) | V::Null(_) | V::Undefined(_) => IacValue::Unknown(format!(
                "{} is not a string: the SDK only takes strings, preserve(), references or config objects here (evaluation fails)",
                self.excerpt(&value_span(value))
            )),
            other => IacValue::Unknown(self.excerpt(&value_span(other))),
        }
    }

    pub(super) fn string_setting(&mut self, value: &V<'a>, span: Span) -> Spanned<Setting<String>> {
        let setting = match value {
            V::Str(s, _) => Setting::Known(s.clone()),
            V::Unknown(what, _) => Setting::Unknown(what.clone()),
            other => Setting::Unknown(format!("not a string: {}", self.excerpt(&value_span(other)))),
        };
        if let Setting::Unknown(what) = &setting {
            self.note(span.clone(), what.clone());
        }
        Spanned { value: setting, span }
    }

    fn unknown_field<T>(&mut self, value: &V<'a>, expected: &str) -> Option<Spanned<Setting<T>>> {
        let span = value_span(value);
        let what = match value {
            V::Null(_) | V::Undefined(_) => return None,
            V::Unknown(what, _) => what.clone(),
            other => format!("not {expected}: {}", self.excerpt(&value_span(other))),
        };
        self.note(span.clone(), what.clone());
        Some(Spanned {
            value: Setting::Unknown(what),
            span,
        })
    }

    fn string_field(&mut self, prop: &Prop<'a>) -> Option<Spanned<Setting<String>>> {
        match &prop.value {
            V::Str(s, span) => Some(Spanned {
                value: Setting::Known(s.clone()),
                span: span.clone(),
            }),
            other => self.unknown_field(other, "a string"),
        }
    }

    fn number_field(&mut self, prop: &Prop<'a>) -> Option<Spanned<Setting<f64>>> {
        match &prop.value {
            V::Num(n, span) => Some(Spanned {
                value: Setting::Known(*n),
                span: span.clone(),
            }),
            other => self.unknown_field(other, "a number"),
        }
    }

    fn bool_field(&mut self, prop: &Prop<'a>) -> Option<Spanned<Setting<bool>>> {
        match &prop.value {
            V::Bool(b, span) => Some(Spanned {
                value: Setting::Known(*b),
                span: span.clone(),
            }),
            other => self.unknown_field(other, "a boolean"),
        }
    }

    fn list_field(&mut self, prop: &Prop<'a>, single: bool) -> Option<Spanned<Setting<Vec<Spanned<String>>>>> {
        match &prop.value {
            V::Str(s, span) if single => Some(Spanned {
                value: Setting::Known(vec![Spanned {
                    value: s.clone(),
                    span: span.clone(),
                }]),
                span: span.clone(),
            }),
            V::Arr(items, span) => {
                let mut list = Vec::new();
                for item in items {
                    match item {
                        V::Str(s, item_span) => list.push(Spanned {
                            value: s.clone(),
                            span: item_span.clone(),
                        }),
                        other => return self.unknown_field(other, "a string"),
                    }
                }
                Some(Spanned {
                    value: Setting::Known(list),
                    span: span.clone(),
                })
            }
            other => self.unknown_field(other, "a list of strings"),
        }
    }

    fn regions_field(&mut self, prop: &Prop<'a>) -> Field<RegionCounts> {
        let V::Obj(regions, span) = &prop.value else {
            return self.unknown_field(&prop.value, "a region map");
        };
        let mut list = Vec::new();
        for region in regions {
            let Setting::Known(name) = &region.key else {
                return self.unknown_field(&V::Unknown("a computed region".into(), region.key_span.clone()), "");
            };
            let count = match &region.value {
                V::Num(n, _) => Setting::Known(*n),
                V::Obj(inner, _) => {
                    match first_set(&[get(inner, "numReplicas"), get(inner, "count"), get(inner, "replicas")])
                        .map(|p| &p.value)
                    {
                        Some(V::Num(n, _)) => Setting::Known(*n),
                        _ => Setting::Unknown(self.excerpt(&value_span(&region.value))),
                    }
                }
                other => Setting::Unknown(self.excerpt(&value_span(other))),
            };
            list.push((
                Spanned {
                    value: name.clone(),
                    span: region.key_span.clone(),
                },
                count,
            ));
        }
        Some(Spanned {
            value: Setting::Known(list),
            span: span.clone(),
        })
    }
}

/// `a ?? b ?? c`: the first property that is set (an unknown value counts as set).
fn first_set<'v, 'a>(candidates: &[Option<&'v Prop<'a>>]) -> Option<&'v Prop<'a>> {
    candidates
        .iter()
        .flatten()
        .find(|prop| !is_nullish(&prop.value))
        .copied()
}

fn merge_env(props: &mut Vec<Prop<'_>>) {
    let mut merged = Vec::new();
    let mut first_span = None;
    props.retain(|prop| {
        if prop.key.known().is_some_and(|k| k == "env")
            && let V::Obj(inner, span) = &prop.value
        {
            merged.extend(inner.iter().cloned());
            first_span.get_or_insert(span.clone());
            return false;
        }
        true
    });
    if let Some(span) = first_span {
        props.push(Prop {
            key: Setting::Known("env".into()),
            key_span: span.clone(),
            value: V::Obj(merged, span),
        });
    }
}
