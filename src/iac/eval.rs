//! The abstract interpreter behind [`super::read`]: it runs the parts of a railway.ts that
//! can be known without Node (constants, object literals, the `railway/iac` builders, small
//! helper functions) and turns everything else into an unknown value that says what it is.

use std::collections::HashMap;
use std::rc::Rc;

mod materialize;

use oxc_ast::ast::*;
use oxc_span::GetSpan;

use super::keys::{self, Level};
use super::{
    DroppedKey, Field, IacFile, IacGroup, IacResource, IacService, IacSource, IacValue, IacVar, RegionCounts,
    ResourceKind, SdkImport, ServiceKind, Setting, SourceKind, Span, Spanned, Unknown,
};

/// Deep enough for any real file; a guard against runaway recursion in user helpers.
const MAX_DEPTH: usize = 48;
/// The longest source excerpt an unknown value's description quotes.
const MAX_EXCERPT: usize = 60;

#[derive(Clone, Debug)]
enum V<'a> {
    Str(String, Span),
    Num(f64, Span),
    Bool(bool, Span),
    Null(Span),
    Undefined(Span),
    Arr(Vec<V<'a>>, Span),
    Obj(Vec<Prop<'a>>, Span),
    /// A node made by a builder (service, database, volume, bucket, group), by index.
    Node(usize, Span),
    /// `x.env`
    Env(usize, Span),
    /// `x.env.VAR` / `ref(x, "VAR")`
    Ref(usize, String, Span),
    Preserve(Span),
    Shared(String, Span),
    Source(Rc<SourceV<'a>>),
    /// The context passed to the program.
    Ctx(Span),
    /// `ctx.shared`
    CtxShared(Span),
    /// The `project` function a program receives as its second argument.
    ProjectFn,
    /// An export of `railway/iac`, by its exported name.
    Sdk(&'static str),
    /// `import * as iac from "railway/iac"`
    SdkNamespace,
    Func(Rc<Closure<'a>>),
    Project(Rc<ProjectV<'a>>),
    Unknown(String, Span),
}

#[derive(Clone, Debug)]
struct Prop<'a> {
    key: Setting<String>,
    key_span: Span,
    value: V<'a>,
}

#[derive(Debug)]
struct SourceV<'a> {
    kind: SourceKind,
    target: Option<V<'a>>,
    options: Option<V<'a>>,
    span: Span,
}

#[derive(Debug)]
struct ProjectV<'a> {
    name: V<'a>,
    definition: V<'a>,
}

#[derive(Debug)]
enum FuncBody<'a> {
    Arrow(&'a ArrowFunctionExpression<'a>),
    Function(&'a Function<'a>),
}

#[derive(Debug)]
struct Closure<'a> {
    body: FuncBody<'a>,
    /// The local frames visible where the function was written (globals are looked up live).
    captured: Vec<HashMap<String, V<'a>>>,
    span: Span,
}

#[derive(Clone, Copy, Debug, PartialEq)]
enum NodeKind {
    Service(ServiceKind),
    Resource(ResourceKind),
    Group,
}

#[derive(Debug)]
struct Node<'a> {
    kind: NodeKind,
    name: V<'a>,
    config: Option<V<'a>>,
    call_span: Span,
    group: Option<String>,
    /// `node.a.b = value` after construction.
    assigned: Vec<(Vec<String>, V<'a>, Span)>,
}

const SDK_EXPORTS: &[&str] = &[
    "defineRailway",
    "define",
    "project",
    "service",
    "fn",
    "postgres",
    "mysql",
    "redis",
    "mongo",
    "database",
    "volume",
    "bucket",
    "group",
    "github",
    "image",
    "template",
    "empty",
    "ref",
    "preserve",
];

struct Eval<'a, 't> {
    text: &'t str,
    globals: HashMap<String, V<'a>>,
    frames: Vec<HashMap<String, V<'a>>>,
    nodes: Vec<Node<'a>>,
    depth: usize,
    file: &'t mut IacFile,
}

fn span_of(span: oxc_span::Span) -> Span {
    span.start as usize..span.end as usize
}

fn value_span<'a>(value: &V<'a>) -> Span {
    match value {
        V::Str(_, s)
        | V::Num(_, s)
        | V::Bool(_, s)
        | V::Null(s)
        | V::Undefined(s)
        | V::Arr(_, s)
        | V::Obj(_, s)
        | V::Node(_, s)
        | V::Env(_, s)
        | V::Ref(_, _, s)
        | V::Preserve(s)
        | V::Shared(_, s)
        | V::Ctx(s)
        | V::CtxShared(s)
        | V::Unknown(_, s) => s.clone(),
        V::Source(source) => source.span.clone(),
        V::Func(closure) => closure.span.clone(),
        V::ProjectFn | V::Sdk(_) | V::SdkNamespace | V::Project(_) => 0..0,
    }
}

fn is_nullish(value: &V<'_>) -> bool {
    matches!(value, V::Null(_) | V::Undefined(_))
}

/// Structural equality, ignoring positions: two branches of a conditional that agree.
fn same(a: &V<'_>, b: &V<'_>) -> bool {
    match (a, b) {
        (V::Str(x, _), V::Str(y, _)) => x == y,
        (V::Num(x, _), V::Num(y, _)) => x == y,
        (V::Bool(x, _), V::Bool(y, _)) => x == y,
        (V::Null(_), V::Null(_)) | (V::Undefined(_), V::Undefined(_)) | (V::Preserve(_), V::Preserve(_)) => true,
        (V::Node(x, _), V::Node(y, _)) => x == y,
        (V::Ref(x, xv, _), V::Ref(y, yv, _)) => x == y && xv == yv,
        (V::Shared(x, _), V::Shared(y, _)) => x == y,
        (V::Arr(x, _), V::Arr(y, _)) => x.len() == y.len() && x.iter().zip(y).all(|(a, b)| same(a, b)),
        (V::Obj(x, _), V::Obj(y, _)) => {
            x.len() == y.len() && x.iter().zip(y).all(|(a, b)| a.key == b.key && same(&a.value, &b.value))
        }
        _ => false,
    }
}

fn get<'v, 'a>(props: &'v [Prop<'a>], key: &str) -> Option<&'v Prop<'a>> {
    props
        .iter()
        .rev()
        .find(|prop| prop.key.known().is_some_and(|k| k == key))
}

fn number_text(value: f64) -> String {
    // JavaScript prints integral numbers without a fraction.
    if value.fract() == 0.0 && value.abs() < 1e15 {
        format!("{}", value as i64)
    } else {
        value.to_string()
    }
}

pub(crate) fn evaluate(program: &Program<'_>, text: &str, file: &mut IacFile) {
    let mut eval = Eval {
        text,
        globals: HashMap::new(),
        frames: Vec::new(),
        nodes: Vec::new(),
        depth: 0,
        file,
    };
    eval.run(program);
}

impl<'a, 't> Eval<'a, 't> {
    fn excerpt(&self, span: &Span) -> String {
        let Some(text) = self.text.get(span.clone()) else {
            return String::from("?");
        };
        let flat: String = text.split_whitespace().collect::<Vec<_>>().join(" ");
        if flat.chars().count() <= MAX_EXCERPT {
            return flat;
        }
        let cut: String = flat.chars().take(MAX_EXCERPT).collect();
        format!("{cut}...")
    }

    fn unknown_at(&self, span: oxc_span::Span) -> V<'a> {
        let span = span_of(span);
        V::Unknown(self.excerpt(&span), span)
    }

    fn note(&mut self, span: Span, what: String) {
        self.file.unknowns.push(Unknown { span, what });
    }

    // ---- the module ----

    fn run(&mut self, program: &'a Program<'a>) {
        let mut exported: HashMap<String, V<'a>> = HashMap::new();
        let mut entry_spans: HashMap<String, Span> = HashMap::new();
        // Function declarations are hoisted.
        for statement in &program.body {
            let function = match statement {
                Statement::FunctionDeclaration(function) => function,
                Statement::ExportDeclaration(export) => match &export.declaration {
                    Declaration::FunctionDeclaration(function) => function,
                    _ => continue,
                },
                _ => continue,
            };
            if let Some(id) = &function.id {
                let closure = self.closure(FuncBody::Function(function), function.span);
                self.globals.insert(id.name.as_str().to_string(), closure);
            }
        }
        for statement in &program.body {
            match statement {
                Statement::ImportDeclaration(import) => self.import(import),
                Statement::ExportDefaultDeclaration(export) => {
                    let value = match &export.declaration {
                        ExportDefaultDeclarationKind::FunctionDeclaration(function) => {
                            self.closure(FuncBody::Function(function), function.span)
                        }
                        ExportDefaultDeclarationKind::ClassDeclaration(_)
                        | ExportDefaultDeclarationKind::TSInterfaceDeclaration(_) => continue,
                        other => match other.as_expression() {
                            Some(expression) => self.expr(expression),
                            None => continue,
                        },
                    };
                    entry_spans.insert("default".into(), span_of(export.span));
                    exported.insert("default".into(), value);
                }
                Statement::ExportDeclaration(export) => {
                    if let Declaration::VariableDeclaration(declaration) = &export.declaration {
                        self.declare(declaration, true);
                        for declarator in &declaration.declarations {
                            if let BindingPattern::BindingIdentifier(id) = &declarator.id {
                                let name = id.name.as_str().to_string();
                                let value = self.lookup(&name, span_of(id.span));
                                entry_spans.insert(name.clone(), span_of(declarator.span));
                                exported.insert(name, value);
                            }
                        }
                    } else if let Declaration::FunctionDeclaration(function) = &export.declaration
                        && let Some(id) = &function.id
                    {
                        let name = id.name.as_str().to_string();
                        entry_spans.insert(name.clone(), span_of(function.span));
                        exported.insert(name.clone(), self.lookup(&name, span_of(id.span)));
                    }
                }
                Statement::ExportNamedDeclaration(export) => {
                    for specifier in &export.specifiers {
                        let local = specifier.local.name().as_str().to_string();
                        let name = specifier.exported.name().as_str().to_string();
                        entry_spans.insert(name.clone(), span_of(specifier.span));
                        exported.insert(name, self.lookup(&local, span_of(specifier.span)));
                    }
                }
                other => {
                    // Top-level code runs when the CLI imports the file.
                    if let Some(V::Unknown(what, span)) = self.statement(other) {
                        self.note(span, what);
                    }
                }
            }
        }

        if let Some(partial) = exported.get("partial").cloned() {
            let span = entry_spans.get("partial").cloned().unwrap_or_default();
            self.file.partial = Some(self.string_setting(&partial, span));
        }

        // The CLI takes `default ?? main ?? Railway`.
        let Some((entry_name, program_value)) = ["default", "main", "Railway"]
            .iter()
            .find_map(|name| exported.get(*name).map(|v| (*name, v.clone())))
        else {
            self.note(
                0..0,
                "no `export default defineRailway(...)` (nor `main` / `Railway`)".into(),
            );
            return;
        };
        let entry_span = entry_spans.get(entry_name).cloned().unwrap_or_default();
        self.file.entry = Some(entry_span.clone());
        let result = match program_value {
            V::Func(closure) => {
                let args = vec![V::Ctx(closure.span.clone()), V::ProjectFn];
                self.call_closure(&closure, args, closure.span.clone())
            }
            other => other,
        };
        self.finish(result, entry_span);
    }

    fn import(&mut self, import: &'a ImportDeclaration<'a>) {
        let source = import.source.value.as_str();
        let is_sdk = matches!(source, "railway/iac" | "railway/iac/index.js");
        let Some(specifiers) = &import.specifiers else {
            return;
        };
        for specifier in specifiers {
            let (local, value, imported) = match specifier {
                ImportDeclarationSpecifier::ImportSpecifier(s) => {
                    let imported = s.imported.name().as_str().to_string();
                    let value = match SDK_EXPORTS.iter().find(|name| **name == imported) {
                        Some(name) if is_sdk => V::Sdk(name),
                        _ => V::Unknown(format!("`{imported}` imported from \"{source}\""), span_of(s.span)),
                    };
                    (s.local.name.as_str().to_string(), value, imported)
                }
                ImportDeclarationSpecifier::ImportNamespaceSpecifier(s) => {
                    let value = if is_sdk {
                        V::SdkNamespace
                    } else {
                        V::Unknown(format!("module \"{source}\""), span_of(s.span))
                    };
                    (s.local.name.as_str().to_string(), value, "*".to_string())
                }
                ImportDeclarationSpecifier::ImportDefaultSpecifier(s) => {
                    let value = V::Unknown(format!("default import from \"{source}\""), span_of(s.span));
                    (s.local.name.as_str().to_string(), value, "default".to_string())
                }
            };
            if is_sdk {
                self.file.sdk_imports.push(SdkImport {
                    imported,
                    local: local.clone(),
                    span: span_of(specifier.span()),
                });
            }
            self.globals.insert(local, value);
        }
    }

    // ---- scopes ----

    fn bind(&mut self, name: &str, value: V<'a>) {
        match self.frames.last_mut() {
            Some(frame) => frame.insert(name.to_string(), value),
            None => self.globals.insert(name.to_string(), value),
        };
    }

    fn lookup(&self, name: &str, span: Span) -> V<'a> {
        for frame in self.frames.iter().rev() {
            if let Some(value) = frame.get(name) {
                return value.clone();
            }
        }
        if let Some(value) = self.globals.get(name) {
            return value.clone();
        }
        match name {
            "undefined" => V::Undefined(span),
            _ => V::Unknown(name.to_string(), span),
        }
    }

    fn closure(&self, body: FuncBody<'a>, span: oxc_span::Span) -> V<'a> {
        V::Func(Rc::new(Closure {
            body,
            captured: self.frames.clone(),
            span: span_of(span),
        }))
    }

    fn declare(&mut self, declaration: &'a VariableDeclaration<'a>, top_level: bool) {
        for declarator in &declaration.declarations {
            let value = match &declarator.init {
                Some(init) => self.expr(init),
                None => V::Undefined(span_of(declarator.span)),
            };
            self.bind_pattern(&declarator.id, value);
        }
        let _ = top_level;
    }

    fn bind_pattern(&mut self, pattern: &'a BindingPattern<'a>, value: V<'a>) {
        match pattern {
            BindingPattern::BindingIdentifier(id) => self.bind(id.name.as_str(), value),
            BindingPattern::AssignmentPattern(assign) => {
                let value = if matches!(value, V::Undefined(_)) {
                    self.expr(&assign.right)
                } else {
                    value
                };
                self.bind_pattern(&assign.left, value);
            }
            BindingPattern::ObjectPattern(object) => {
                for property in &object.properties {
                    let key = property.key.static_name().map(|k| k.to_string());
                    // `({ shared }) => ...` destructures the context like `ctx.shared`.
                    let part = match key {
                        Some(key) => self.property(value.clone(), key, span_of(property.span)),
                        None => self.unknown_at(property.span),
                    };
                    self.bind_pattern(&property.value, part);
                }
                if let Some(rest) = &object.rest {
                    let unknown = self.unknown_at(rest.span);
                    self.bind_pattern(&rest.argument, unknown);
                }
            }
            BindingPattern::ArrayPattern(array) => {
                for (index, element) in array.elements.iter().enumerate() {
                    let Some(element) = element else { continue };
                    let part = match &value {
                        V::Arr(items, span) => items.get(index).cloned().unwrap_or(V::Undefined(span.clone())),
                        _ => self.unknown_at(element.span()),
                    };
                    self.bind_pattern(element, part);
                }
                if let Some(rest) = &array.rest {
                    let unknown = self.unknown_at(rest.span);
                    self.bind_pattern(&rest.argument, unknown);
                }
            }
        }
    }

    // ---- statements ----

    /// Runs one statement; `Some` when it returns (or makes the result unknowable).
    fn statement(&mut self, statement: &'a Statement<'a>) -> Option<V<'a>> {
        match statement {
            Statement::VariableDeclaration(declaration) => {
                self.declare(declaration, false);
                None
            }
            Statement::FunctionDeclaration(function) => {
                if let Some(id) = &function.id {
                    let closure = self.closure(FuncBody::Function(function), function.span);
                    self.bind(id.name.as_str(), closure);
                }
                None
            }
            Statement::ExpressionStatement(statement) => {
                self.expr(&statement.expression);
                None
            }
            Statement::ReturnStatement(ret) => Some(match &ret.argument {
                Some(argument) => self.expr(argument),
                None => V::Undefined(span_of(ret.span)),
            }),
            Statement::BlockStatement(block) => {
                self.frames.push(HashMap::new());
                let result = self.statements(&block.body);
                self.frames.pop();
                result
            }
            Statement::IfStatement(branch) => self.if_statement(branch),
            Statement::ThrowStatement(throw) => Some(V::Unknown(
                format!("throws: {}", self.excerpt(&span_of(throw.span))),
                span_of(throw.span),
            )),
            Statement::EmptyStatement(_)
            | Statement::TSTypeAliasDeclaration(_)
            | Statement::TSInterfaceDeclaration(_)
            | Statement::TSEnumDeclaration(_)
            | Statement::TSExternalModuleDeclaration(_)
            | Statement::TSNamespaceDeclaration(_)
            | Statement::TSGlobalDeclaration(_)
            | Statement::TSImportEqualsDeclaration(_)
            | Statement::ClassDeclaration(_) => None,
            other => {
                let span = span_of(other.span());
                let what = format!("statement not followed: {}", self.excerpt(&span));
                self.note(span, what);
                None
            }
        }
    }

    fn statements(&mut self, statements: &'a [Statement<'a>]) -> Option<V<'a>> {
        for statement in statements {
            if let Some(result) = self.statement(statement) {
                return Some(result);
            }
        }
        None
    }

    fn if_statement(&mut self, branch: &'a IfStatement<'a>) -> Option<V<'a>> {
        match self.expr(&branch.test) {
            V::Bool(true, _) => return self.statement(&branch.consequent),
            V::Bool(false, _) => return branch.alternate.as_ref().and_then(|alt| self.statement(alt)),
            _ => {}
        }
        // `if (!ctx.isEnvironment("production")) throw ...`: a guard; evaluation goes on as in
        // the environments the file accepts.
        let only_throws = |statement: &Statement<'_>| match statement {
            Statement::ThrowStatement(_) => true,
            Statement::BlockStatement(block) => {
                block.body.len() == 1 && matches!(block.body[0], Statement::ThrowStatement(_))
            }
            _ => false,
        };
        if only_throws(&branch.consequent) && branch.alternate.is_none() {
            return None;
        }
        let span = span_of(branch.span);
        let test = self.excerpt(&span_of(branch.test.span()));
        let returns = contains_return(&branch.consequent) || branch.alternate.as_ref().is_some_and(contains_return);
        if returns {
            return Some(V::Unknown(format!("the result depends on `if ({test})`"), span));
        }
        self.note(span, format!("`if ({test})` not followed: both branches are possible"));
        None
    }

    // ---- expressions ----

    fn expr(&mut self, expression: &'a Expression<'a>) -> V<'a> {
        if self.depth >= MAX_DEPTH {
            return V::Unknown("nested too deeply to follow".into(), span_of(expression.span()));
        }
        self.depth += 1;
        let value = self.expr_inner(expression);
        self.depth -= 1;
        value
    }

    fn expr_inner(&mut self, expression: &'a Expression<'a>) -> V<'a> {
        let span = span_of(expression.span());
        match expression {
            Expression::StringLiteral(s) => V::Str(s.value.as_str().to_string(), span),
            Expression::NumericLiteral(n) => V::Num(n.value, span),
            Expression::BooleanLiteral(b) => V::Bool(b.value, span),
            Expression::NullLiteral(_) => V::Null(span),
            Expression::TemplateLiteral(template) => self.template(template, span),
            Expression::Identifier(id) => self.lookup(id.name.as_str(), span),
            Expression::ParenthesizedExpression(inner) => self.expr(&inner.expression),
            Expression::TSAsExpression(inner) => self.expr(&inner.expression),
            Expression::TSSatisfiesExpression(inner) => self.expr(&inner.expression),
            Expression::TSNonNullExpression(inner) => self.expr(&inner.expression),
            Expression::TSTypeAssertion(inner) => self.expr(&inner.expression),
            Expression::TSInstantiationExpression(inner) => self.expr(&inner.expression),
            Expression::AwaitExpression(inner) => self.expr(&inner.argument),
            Expression::SequenceExpression(sequence) => {
                let mut last = V::Undefined(span);
                for expression in &sequence.expressions {
                    last = self.expr(expression);
                }
                last
            }
            Expression::ArrayExpression(array) => {
                let mut items = Vec::new();
                for element in &array.elements {
                    match element {
                        ArrayExpressionElement::SpreadElement(spread) => match self.expr(&spread.argument) {
                            V::Arr(inner, _) => items.extend(inner),
                            other => items.push(V::Unknown(
                                format!("spread of {}", self.excerpt(&span_of(spread.span))),
                                value_span(&other),
                            )),
                        },
                        ArrayExpressionElement::Elision(e) => items.push(V::Undefined(span_of(e.span))),
                        other => match other.as_expression() {
                            Some(expression) => items.push(self.expr(expression)),
                            None => items.push(self.unknown_at(other.span())),
                        },
                    }
                }
                V::Arr(items, span)
            }
            Expression::ObjectExpression(object) => self.object(object, span),
            Expression::ArrowFunctionExpression(arrow) => self.closure(FuncBody::Arrow(arrow), arrow.span),
            Expression::FunctionExpression(function) => self.closure(FuncBody::Function(function), function.span),
            Expression::ConditionalExpression(conditional) => {
                match self.expr(&conditional.test) {
                    V::Bool(true, _) => return self.expr(&conditional.consequent),
                    V::Bool(false, _) => return self.expr(&conditional.alternate),
                    _ => {}
                }
                let yes = self.expr(&conditional.consequent);
                let no = self.expr(&conditional.alternate);
                if same(&yes, &no) {
                    return yes;
                }
                let test = self.excerpt(&span_of(conditional.test.span()));
                V::Unknown(format!("differs by `{test}`"), span)
            }
            Expression::LogicalExpression(logical) => {
                let left = self.expr(&logical.left);
                let decided = match (&left, logical.operator) {
                    (V::Unknown(..), _) => return left,
                    (_, LogicalOperator::Coalesce) => !is_nullish(&left),
                    (_, LogicalOperator::Or) => truthy(&left) == Some(true),
                    (_, LogicalOperator::And) => truthy(&left) == Some(false),
                };
                if decided {
                    return left;
                }
                if logical.operator != LogicalOperator::Coalesce && truthy(&left).is_none() {
                    return V::Unknown(self.excerpt(&span), span);
                }
                self.expr(&logical.right)
            }
            Expression::BinaryExpression(binary) => {
                let left = self.expr(&binary.left);
                let right = self.expr(&binary.right);
                // An unknown operand explains the result better than the expression's text.
                if let V::Unknown(what, _) = &left {
                    return V::Unknown(what.clone(), span);
                }
                if let V::Unknown(what, _) = &right {
                    return V::Unknown(what.clone(), span);
                }
                binary_op(binary.operator, &left, &right, span.clone()).unwrap_or_else(|| {
                    let what = self.excerpt(&span);
                    V::Unknown(what, span)
                })
            }
            Expression::UnaryExpression(unary) => {
                let argument = self.expr(&unary.argument);
                match (unary.operator, &argument) {
                    (UnaryOperator::LogicalNot, value) if truthy(value).is_some() => {
                        V::Bool(truthy(value) == Some(false), span)
                    }
                    (UnaryOperator::UnaryNegation, V::Num(n, _)) => V::Num(-n, span),
                    (UnaryOperator::UnaryPlus, V::Num(n, _)) => V::Num(*n, span),
                    (UnaryOperator::Void, _) => V::Undefined(span),
                    (_, V::Unknown(what, _)) => V::Unknown(what.clone(), span),
                    _ => V::Unknown(self.excerpt(&span), span),
                }
            }
            Expression::AssignmentExpression(assign) => self.assign(assign, span),
            Expression::CallExpression(call) => self.call(call, span),
            Expression::ChainExpression(chain) => match &chain.expression {
                ChainElement::CallExpression(call) => self.call(call, span),
                ChainElement::TSNonNullExpression(inner) => self.expr(&inner.expression),
                other => match other.as_member_expression() {
                    Some(member) => self.member(member, span),
                    None => V::Unknown(self.excerpt(&span), span),
                },
            },
            other => match other.as_member_expression() {
                Some(member) => self.member(member, span),
                None => V::Unknown(self.excerpt(&span), span),
            },
        }
    }

    fn template(&mut self, template: &'a TemplateLiteral<'a>, span: Span) -> V<'a> {
        let mut text = String::new();
        for (index, quasi) in template.quasis.iter().enumerate() {
            let Some(cooked) = &quasi.value.cooked else {
                return V::Unknown(self.excerpt(&span), span);
            };
            text.push_str(cooked.as_str());
            let Some(expression) = template.expressions.get(index) else {
                continue;
            };
            match self.expr(expression) {
                V::Str(s, _) => text.push_str(&s),
                V::Num(n, _) => text.push_str(&number_text(n)),
                V::Bool(b, _) => text.push_str(if b { "true" } else { "false" }),
                _ => {
                    let inner = self.excerpt(&span_of(expression.span()));
                    return V::Unknown(format!("template literal with ${{{inner}}}"), span);
                }
            }
        }
        V::Str(text, span)
    }

    fn object(&mut self, object: &'a ObjectExpression<'a>, span: Span) -> V<'a> {
        let mut props: Vec<Prop<'a>> = Vec::new();
        for property in &object.properties {
            match property {
                ObjectPropertyKind::ObjectProperty(p) => {
                    let key_span = span_of(p.key.span());
                    let key = match (p.computed, p.key.static_name()) {
                        (false, Some(name)) => Setting::Known(name.to_string()),
                        _ => match p.key.as_expression().map(|e| self.expr(e)) {
                            Some(V::Str(s, _)) => Setting::Known(s),
                            Some(V::Num(n, _)) => Setting::Known(number_text(n)),
                            _ => Setting::Unknown(format!("computed key [{}]", self.excerpt(&key_span))),
                        },
                    };
                    let value = self.expr(&p.value);
                    props.push(Prop { key, key_span, value });
                }
                ObjectPropertyKind::SpreadProperty(spread) => match self.expr(&spread.argument) {
                    V::Obj(inner, _) => props.extend(inner),
                    V::Null(_) | V::Undefined(_) => {}
                    _ => {
                        let spread_span = span_of(spread.span);
                        let what = format!("spread of {}", self.excerpt(&span_of(spread.argument.span())));
                        props.push(Prop {
                            key: Setting::Unknown(what.clone()),
                            key_span: spread_span.clone(),
                            value: V::Unknown(what, spread_span),
                        });
                    }
                },
            }
        }
        V::Obj(props, span)
    }

    fn member(&mut self, member: &'a MemberExpression<'a>, span: Span) -> V<'a> {
        let (object, key) = match member {
            MemberExpression::StaticMemberExpression(m) => (
                &m.object,
                Some(V::Str(m.property.name.as_str().to_string(), span_of(m.property.span))),
            ),
            MemberExpression::ComputedMemberExpression(m) => (&m.object, Some(self.expr(&m.expression))),
            MemberExpression::PrivateFieldExpression(m) => (&m.object, None),
        };
        let base = self.expr(object);
        let key = match key {
            Some(V::Str(s, _)) => s,
            Some(V::Num(n, _)) => number_text(n),
            _ => return V::Unknown(self.excerpt(&span), span),
        };
        self.property(base, key, span)
    }

    /// `base[key]`, for member expressions and destructuring alike.
    fn property(&self, base: V<'a>, key: String, span: Span) -> V<'a> {
        match base {
            V::Obj(props, _) => get(&props, &key).map_or(V::Undefined(span), |prop| prop.value.clone()),
            V::Arr(items, _) => match key.as_str() {
                "length" => V::Num(items.len() as f64, span),
                index => index
                    .parse::<usize>()
                    .ok()
                    .and_then(|i| items.get(i).cloned())
                    .unwrap_or(V::Undefined(span)),
            },
            V::Str(s, _) if key == "length" => V::Num(s.chars().count() as f64, span),
            V::Ctx(_) => match key.as_str() {
                "shared" => V::CtxShared(span),
                _ => V::Unknown(format!("ctx.{key} (set by the CLI per project and environment)"), span),
            },
            V::CtxShared(_) => V::Shared(key, span),
            V::Node(index, _) => match key.as_str() {
                "env" => V::Env(index, span),
                "name" => self
                    .nodes
                    .get(index)
                    .map_or(V::Undefined(span.clone()), |node| node.name.clone()),
                _ => V::Unknown(self.excerpt(&span), span),
            },
            V::Env(index, _) => V::Ref(index, key, span),
            V::SdkNamespace => match SDK_EXPORTS.iter().find(|name| **name == key) {
                Some(name) => V::Sdk(name),
                None => V::Unknown(self.excerpt(&span), span),
            },
            _ => V::Unknown(self.excerpt(&span), span),
        }
    }

    fn assign(&mut self, assign: &'a AssignmentExpression<'a>, span: Span) -> V<'a> {
        let value = self.expr(&assign.right);
        // Only `a.b.c = value`: anything else (`+=`, destructuring) is not followed.
        let path = (assign.operator == AssignmentOperator::Assign)
            .then(|| assignment_path(&assign.left))
            .flatten();
        let Some((root, path)) = path else {
            let what = format!("assignment not followed: {}", self.excerpt(&span));
            self.note(span, what);
            return value;
        };
        if path.is_empty() {
            // `x = value`: rebinding a `let`.
            let frame = self.frames.iter_mut().rev().find(|frame| frame.contains_key(&root));
            match frame {
                Some(frame) => {
                    frame.insert(root, value.clone());
                }
                None => {
                    self.globals.insert(root, value.clone());
                }
            }
            return value;
        }
        match self.lookup(&root, span.clone()) {
            V::Node(index, _) => {
                if let Some(node) = self.nodes.get_mut(index) {
                    node.assigned.push((path, value.clone(), span));
                }
            }
            V::Obj(..) => {
                let slot = self
                    .frames
                    .iter_mut()
                    .rev()
                    .find_map(|frame| frame.get_mut(&root))
                    .or_else(|| self.globals.get_mut(&root));
                if let Some(slot) = slot {
                    set_path(slot, &path, value.clone(), span);
                }
            }
            _ => {
                let what = format!("assignment not followed: {}", self.excerpt(&span));
                self.note(span, what);
            }
        }
        value
    }

    // ---- calls ----

    fn arguments(&mut self, arguments: &'a [Argument<'a>]) -> Vec<V<'a>> {
        let mut values = Vec::new();
        for argument in arguments {
            match argument {
                Argument::SpreadElement(spread) => match self.expr(&spread.argument) {
                    V::Arr(items, _) => values.extend(items),
                    _ => values.push(self.unknown_at(spread.span)),
                },
                other => match other.as_expression() {
                    Some(expression) => values.push(self.expr(expression)),
                    None => values.push(self.unknown_at(other.span())),
                },
            }
        }
        values
    }

    fn call(&mut self, call: &'a CallExpression<'a>, span: Span) -> V<'a> {
        // Methods on builtins and values: `Object.freeze(x)`, `NAMES.map(fn)`, `ctx.isEnvironment(x)`.
        if let Some(member) = call.callee.as_member_expression() {
            let method = match member {
                MemberExpression::StaticMemberExpression(m) => m.property.name.as_str(),
                _ => "",
            };
            let object = member.object();
            if let Expression::Identifier(id) = object
                && id.name.as_str() == "Object"
                && matches!(self.lookup("Object", span.clone()), V::Unknown(..))
            {
                let args = self.arguments(&call.arguments);
                return self.object_builtin(method, args, span);
            }
            let receiver = self.expr(object);
            match receiver {
                V::Ctx(_) => {
                    let what = match method {
                        "isEnvironment" => format!("{} (differs by environment)", self.excerpt(&span)),
                        "randomString" => format!("{} (generated per environment)", self.excerpt(&span)),
                        _ => self.excerpt(&span),
                    };
                    return V::Unknown(what, span);
                }
                V::SdkNamespace => {
                    if let Some(name) = SDK_EXPORTS.iter().find(|name| **name == method) {
                        let args = self.arguments(&call.arguments);
                        return self.sdk_call(name, args, span);
                    }
                }
                V::Arr(items, _) => {
                    let args = self.arguments(&call.arguments);
                    return self.array_method(method, items, args, span);
                }
                V::Str(s, _) => {
                    let args = self.arguments(&call.arguments);
                    return string_method(method, &s, &args, span.clone())
                        .unwrap_or_else(|| V::Unknown(self.excerpt(&span), span));
                }
                _ => {}
            }
            return V::Unknown(format!("call {}", self.excerpt(&span)), span);
        }
        let callee = self.expr(&call.callee);
        let args = self.arguments(&call.arguments);
        match callee {
            V::Sdk(name) => self.sdk_call(name, args, span),
            V::ProjectFn => self.sdk_call("project", args, span),
            V::Func(closure) => match self.call_closure(&closure, args, span.clone()) {
                V::Unknown(what, _) => {
                    let callee = self.excerpt(&span_of(call.callee.span()));
                    V::Unknown(format!("call to a user function {callee}(): {what}"), span)
                }
                other => other,
            },
            _ => {
                let callee = self.excerpt(&span_of(call.callee.span()));
                V::Unknown(format!("call to {callee}()"), span)
            }
        }
    }

    fn call_closure(&mut self, closure: &Closure<'a>, args: Vec<V<'a>>, span: Span) -> V<'a> {
        if self.depth >= MAX_DEPTH {
            return V::Unknown("recursion too deep to follow".into(), span);
        }
        let params = match closure.body {
            FuncBody::Arrow(arrow) => &arrow.params,
            FuncBody::Function(function) => &function.params,
        };
        let saved = std::mem::replace(&mut self.frames, closure.captured.clone());
        self.frames.push(HashMap::new());
        self.depth += 1;
        let mut args = args.into_iter();
        for param in &params.items {
            let value = args.next().unwrap_or(V::Undefined(span_of(param.span)));
            let value = match (&param.initializer, &value) {
                (Some(default), V::Undefined(_)) => self.expr(default),
                _ => value,
            };
            self.bind_pattern(&param.pattern, value);
        }
        if let Some(rest) = &params.rest {
            let rest_values: Vec<V<'a>> = args.collect();
            self.bind_pattern(&rest.rest.argument, V::Arr(rest_values, span_of(rest.span)));
        }
        let result = match closure.body {
            FuncBody::Arrow(arrow) => match arrow.get_expression() {
                Some(expression) => self.expr(expression),
                None => match arrow.get_function_body() {
                    Some(body) => self.statements(&body.statements).unwrap_or(V::Undefined(span.clone())),
                    None => V::Undefined(span.clone()),
                },
            },
            FuncBody::Function(function) => match &function.body {
                Some(body) => self.statements(&body.statements).unwrap_or(V::Undefined(span.clone())),
                None => V::Undefined(span.clone()),
            },
        };
        self.depth -= 1;
        self.frames = saved;
        result
    }

    fn object_builtin(&mut self, method: &str, args: Vec<V<'a>>, span: Span) -> V<'a> {
        let first = args.into_iter().collect::<Vec<_>>();
        match (method, first.as_slice()) {
            ("freeze" | "seal", [value, ..]) => value.clone(),
            ("fromEntries", [V::Arr(entries, _)]) => {
                let mut props = Vec::new();
                for entry in entries {
                    let V::Arr(pair, entry_span) = entry else {
                        return V::Unknown(format!("Object.fromEntries of {}", self.excerpt(&span)), span);
                    };
                    let key = match pair.first() {
                        Some(V::Str(s, _)) => Setting::Known(s.clone()),
                        _ => Setting::Unknown(format!("computed key in {}", self.excerpt(entry_span))),
                    };
                    let value = pair.get(1).cloned().unwrap_or(V::Undefined(entry_span.clone()));
                    let key_span = pair.first().map_or(entry_span.clone(), value_span);
                    props.push(Prop { key, key_span, value });
                }
                V::Obj(props, span)
            }
            ("assign", [V::Obj(..), ..]) => {
                let mut props = Vec::new();
                for value in &first {
                    match value {
                        V::Obj(inner, _) => props.extend(inner.iter().cloned()),
                        _ => return V::Unknown(self.excerpt(&span), span),
                    }
                }
                V::Obj(props, span)
            }
            ("keys", [V::Obj(props, _)]) => {
                let keys = props.iter().map(|p| match &p.key {
                    Setting::Known(k) => V::Str(k.clone(), p.key_span.clone()),
                    Setting::Unknown(what) => V::Unknown(what.clone(), p.key_span.clone()),
                });
                V::Arr(keys.collect(), span)
            }
            ("values", [V::Obj(props, _)]) => V::Arr(props.iter().map(|p| p.value.clone()).collect(), span),
            ("entries", [V::Obj(props, _)]) => {
                let entries = props.iter().map(|p| {
                    let key = match &p.key {
                        Setting::Known(k) => V::Str(k.clone(), p.key_span.clone()),
                        Setting::Unknown(what) => V::Unknown(what.clone(), p.key_span.clone()),
                    };
                    V::Arr(vec![key, p.value.clone()], p.key_span.clone())
                });
                V::Arr(entries.collect(), span)
            }
            _ => V::Unknown(format!("call {}", self.excerpt(&span)), span),
        }
    }

    fn array_method(&mut self, method: &str, items: Vec<V<'a>>, args: Vec<V<'a>>, span: Span) -> V<'a> {
        match (method, args.first()) {
            ("map" | "flatMap", Some(V::Func(closure))) => {
                let closure = closure.clone();
                let mut out = Vec::new();
                for (index, item) in items.into_iter().enumerate() {
                    let item_span = value_span(&item);
                    let mapped = self.call_closure(&closure, vec![item, V::Num(index as f64, item_span)], span.clone());
                    match (method, mapped) {
                        ("flatMap", V::Arr(inner, _)) => out.extend(inner),
                        (_, value) => out.push(value),
                    }
                }
                V::Arr(out, span)
            }
            ("filter", Some(V::Func(closure))) => {
                let closure = closure.clone();
                let mut out = Vec::new();
                for (index, item) in items.into_iter().enumerate() {
                    let item_span = value_span(&item);
                    let keep = self.call_closure(
                        &closure,
                        vec![item.clone(), V::Num(index as f64, item_span)],
                        span.clone(),
                    );
                    match truthy(&keep) {
                        Some(true) => out.push(item),
                        Some(false) => {}
                        None => return V::Unknown(self.excerpt(&span), span),
                    }
                }
                V::Arr(out, span)
            }
            ("flat", _) => {
                let mut out = Vec::new();
                for item in items {
                    match item {
                        V::Arr(inner, _) => out.extend(inner),
                        other => out.push(other),
                    }
                }
                V::Arr(out, span)
            }
            ("concat", _) => {
                let mut out = items;
                for arg in args {
                    match arg {
                        V::Arr(inner, _) => out.extend(inner),
                        other => out.push(other),
                    }
                }
                V::Arr(out, span)
            }
            ("join", separator) => {
                let separator = match separator {
                    Some(V::Str(s, _)) => s.clone(),
                    None => ",".to_string(),
                    _ => return V::Unknown(self.excerpt(&span), span),
                };
                let mut parts = Vec::new();
                for item in &items {
                    match item {
                        V::Str(s, _) => parts.push(s.clone()),
                        V::Num(n, _) => parts.push(number_text(*n)),
                        _ => return V::Unknown(self.excerpt(&span), span),
                    }
                }
                V::Str(parts.join(&separator), span)
            }
            _ => V::Unknown(format!("call {}", self.excerpt(&span)), span),
        }
    }

    fn new_node(&mut self, kind: NodeKind, name: V<'a>, config: Option<V<'a>>, span: Span) -> V<'a> {
        self.nodes.push(Node {
            kind,
            name,
            config,
            call_span: span.clone(),
            group: None,
            assigned: Vec::new(),
        });
        V::Node(self.nodes.len() - 1, span)
    }

    fn sdk_call(&mut self, name: &'static str, args: Vec<V<'a>>, span: Span) -> V<'a> {
        let mut args = args.into_iter();
        let first = args.next();
        let second = args.next();
        let name_arg = |value: Option<V<'a>>, span: &Span| value.unwrap_or(V::Undefined(span.clone()));
        match name {
            "defineRailway" | "define" => name_arg(first, &span),
            "project" => V::Project(Rc::new(ProjectV {
                name: name_arg(first, &span),
                definition: name_arg(second, &span),
            })),
            "service" => self.new_node(
                NodeKind::Service(ServiceKind::Service),
                name_arg(first, &span),
                second,
                span,
            ),
            "fn" => self.new_node(
                NodeKind::Service(ServiceKind::Function),
                name_arg(first, &span),
                second,
                span,
            ),
            "postgres" => self.new_node(
                NodeKind::Resource(ResourceKind::Postgres),
                name_arg(first, &span),
                second,
                span,
            ),
            "mysql" => self.new_node(
                NodeKind::Resource(ResourceKind::Mysql),
                name_arg(first, &span),
                second,
                span,
            ),
            "redis" => self.new_node(
                NodeKind::Resource(ResourceKind::Redis),
                name_arg(first, &span),
                second,
                span,
            ),
            "mongo" => self.new_node(
                NodeKind::Resource(ResourceKind::Mongo),
                name_arg(first, &span),
                second,
                span,
            ),
            "database" => {
                let kind = match &second {
                    Some(V::Str(engine, _)) => match engine.as_str() {
                        "postgres" => ResourceKind::Postgres,
                        "mysql" => ResourceKind::Mysql,
                        "redis" => ResourceKind::Redis,
                        "mongo" => ResourceKind::Mongo,
                        _ => ResourceKind::Database,
                    },
                    _ => ResourceKind::Database,
                };
                self.new_node(NodeKind::Resource(kind), name_arg(first, &span), None, span)
            }
            "volume" => self.new_node(
                NodeKind::Resource(ResourceKind::Volume),
                name_arg(first, &span),
                second,
                span,
            ),
            "bucket" => self.new_node(
                NodeKind::Resource(ResourceKind::Bucket),
                name_arg(first, &span),
                second,
                span,
            ),
            "group" => {
                let group_name = name_arg(first, &span);
                let Some(V::Arr(members, members_span)) = second else {
                    return self.new_node(NodeKind::Group, group_name, None, span);
                };
                let members = flatten(members);
                let listed = Some(V::Arr(members.clone(), members_span));
                let node = self.new_node(NodeKind::Group, group_name.clone(), listed, span.clone());
                if let V::Str(group_name, _) = &group_name {
                    for member in &members {
                        if let V::Node(index, _) = member
                            && let Some(member) = self.nodes.get_mut(*index)
                        {
                            member.group = Some(group_name.clone());
                        }
                    }
                }
                let mut out = vec![node];
                out.extend(members);
                V::Arr(out, span)
            }
            "github" | "image" | "template" | "empty" => {
                let kind = match name {
                    "github" => SourceKind::Github,
                    "image" => SourceKind::Image,
                    "template" => SourceKind::Template,
                    _ => SourceKind::Empty,
                };
                let (target, options) = if kind == SourceKind::Empty {
                    (None, None)
                } else {
                    (first, second)
                };
                V::Source(Rc::new(SourceV {
                    kind,
                    target,
                    options,
                    span,
                }))
            }
            "ref" => match (first, second) {
                (Some(V::Node(index, _)), Some(V::Str(var, _))) => V::Ref(index, var, span),
                _ => V::Unknown(
                    format!("ref() of a value not known statically at {}", self.excerpt(&span)),
                    span,
                ),
            },
            "preserve" => V::Preserve(span),
            _ => V::Unknown(format!("{name}(...)"), span),
        }
    }
}

fn flatten<'a>(items: Vec<V<'a>>) -> Vec<V<'a>> {
    let mut out = Vec::new();
    for item in items {
        match item {
            V::Arr(inner, _) => out.extend(flatten(inner)),
            other => out.push(other),
        }
    }
    out
}

fn set_path<'a>(target: &mut V<'a>, path: &[String], value: V<'a>, span: Span) {
    let Some((key, rest)) = path.split_first() else {
        *target = value;
        return;
    };
    let V::Obj(props, _) = target else {
        *target = V::Unknown("a property assigned on a value not known statically".into(), span);
        return;
    };
    if rest.is_empty() {
        props.push(Prop {
            key: Setting::Known(key.clone()),
            key_span: span,
            value,
        });
        return;
    }
    let existing = props.iter().rposition(|p| p.key.known() == Some(key));
    match existing {
        Some(position) => set_path(&mut props[position].value, rest, value, span),
        None => {
            let mut child = V::Obj(Vec::new(), span.clone());
            set_path(&mut child, rest, value, span.clone());
            props.push(Prop {
                key: Setting::Known(key.clone()),
                key_span: span,
                value: child,
            });
        }
    }
}

/// `a.b.c` as an assignment target: the root identifier and the property path.
fn assignment_path(target: &AssignmentTarget<'_>) -> Option<(String, Vec<String>)> {
    if let AssignmentTarget::AssignmentTargetIdentifier(id) = target {
        return Some((id.name.as_str().to_string(), Vec::new()));
    }
    let member = target.as_member_expression()?;
    let mut path = Vec::new();
    let mut current = member;
    loop {
        let MemberExpression::StaticMemberExpression(m) = current else {
            return None;
        };
        path.push(m.property.name.as_str().to_string());
        match &m.object {
            Expression::Identifier(id) => {
                path.reverse();
                return Some((id.name.as_str().to_string(), path));
            }
            other => current = other.as_member_expression()?,
        }
    }
}

fn contains_return(statement: &Statement<'_>) -> bool {
    match statement {
        Statement::ReturnStatement(_) => true,
        Statement::BlockStatement(block) => block.body.iter().any(contains_return),
        Statement::IfStatement(branch) => {
            contains_return(&branch.consequent) || branch.alternate.as_ref().is_some_and(contains_return)
        }
        _ => false,
    }
}

fn truthy(value: &V<'_>) -> Option<bool> {
    match value {
        V::Str(s, _) => Some(!s.is_empty()),
        V::Num(n, _) => Some(*n != 0.0 && !n.is_nan()),
        V::Bool(b, _) => Some(*b),
        V::Null(_) | V::Undefined(_) => Some(false),
        V::Unknown(..) => None,
        _ => Some(true),
    }
}

fn binary_op<'a>(operator: BinaryOperator, left: &V<'a>, right: &V<'a>, span: Span) -> Option<V<'a>> {
    use BinaryOperator as B;
    let text = |value: &V<'a>| match value {
        V::Str(s, _) => Some(s.clone()),
        V::Num(n, _) => Some(number_text(*n)),
        V::Bool(b, _) => Some(b.to_string()),
        _ => None,
    };
    Some(match (operator, left, right) {
        (B::Addition, V::Num(a, _), V::Num(b, _)) => V::Num(a + b, span),
        (B::Addition, V::Str(..), _) | (B::Addition, _, V::Str(..)) => V::Str(text(left)? + &text(right)?, span),
        (B::Subtraction, V::Num(a, _), V::Num(b, _)) => V::Num(a - b, span),
        (B::Multiplication, V::Num(a, _), V::Num(b, _)) => V::Num(a * b, span),
        (B::Division, V::Num(a, _), V::Num(b, _)) => V::Num(a / b, span),
        (B::Exponential, V::Num(a, _), V::Num(b, _)) => V::Num(a.powf(*b), span),
        (B::StrictEquality | B::Equality, a, b) if primitive(a) && primitive(b) => V::Bool(same(a, b), span),
        (B::StrictInequality | B::Inequality, a, b) if primitive(a) && primitive(b) => V::Bool(!same(a, b), span),
        _ => return None,
    })
}

fn primitive(value: &V<'_>) -> bool {
    matches!(
        value,
        V::Str(..) | V::Num(..) | V::Bool(..) | V::Null(_) | V::Undefined(_)
    )
}

fn string_method<'a>(method: &str, s: &str, args: &[V<'a>], span: Span) -> Option<V<'a>> {
    Some(match (method, args) {
        ("trim", []) => V::Str(s.trim().to_string(), span),
        ("toLowerCase", []) => V::Str(s.to_lowercase(), span),
        ("toUpperCase", []) => V::Str(s.to_uppercase(), span),
        ("split", [V::Str(separator, _)]) if !separator.is_empty() => V::Arr(
            s.split(separator.as_str())
                .map(|part| V::Str(part.to_string(), span.clone()))
                .collect(),
            span,
        ),
        _ => return None,
    })
}
