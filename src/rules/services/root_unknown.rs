//! checks that depend on a service's Root Directory were skipped.

use crate::rules::declare_rule;

declare_rule! {
    /// Checks that depend on a service's Root Directory were skipped: railcheck cannot tell where it is.
    ///
    /// ## What it checks
    /// A service's Root Directory is a Railway service setting, not the folder its
    /// `railway.json` or `railpack.json` sits in. railcheck knows it when something states it
    /// (`railcheck.toml` `[services.NAME] root`, `root` in `.railway/railway.ts`, the guide
    /// manifest's `root`). Otherwise it weighs the service's own settings: workspace-scoped
    /// commands (`pnpm --filter web`, `yarn workspace web`, `turbo --filter=web`, `npm -w web`),
    /// `cd apps/web`, repository-root paths (`node apps/web/server.js`), a repository-root
    /// `dockerfilePath` or `watchPatterns` point at the repository root; a native
    /// `railpack.json` in the folder, or commands that only make sense inside it, point at the
    /// folder. When there is no evidence, or evidence both ways, the root is unknown, and the
    /// checks that depend on it (RC606, RC701, RC702, RC703, RC704) stay quiet. This info says
    /// so, once per service, when one of them had something to report.
    ///
    /// ## Why it matters on Railway
    /// Railway uploads and builds only the Root Directory. Whether `pnpm-lock.yaml` is in the
    /// build, whether `cd apps/web` works, whether `node apps/web/server.js` exists: all depend
    /// on it. Guessing it wrong turned most of railcheck's errors on real monorepos into false
    /// alarms, so railcheck no longer guesses.
    ///
    /// ## Example
    /// `apps/web/railpack.json` (native, so its folder looks like the root) runs
    /// `pnpm --filter web build` (a command for the repository root). Say which it is:
    /// ```toml
    /// # railcheck.toml
    /// [services.web]
    /// root = "."
    /// ```
    /// or `root: "."` for the service in `.railway/railway.ts`.
    code: RC607,
    name: "root-unknown",
    severity: Info,
    // The pipeline reports it: it knows which findings were skipped.
    reported_by: pipeline,
}
