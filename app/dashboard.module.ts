import { analyticsRoutes, forecastRoutes } from './http/analytics.routes.ts';
import type { PlatformContext, PlatformModule } from './module.ts';

/**
 * The operators' dashboard: the analytics API (`/api/v1/analytics/…`, API keys or a console
 * session with the `dashboard` capability) and the forecast (`/api/v1/facilities/:id/forecast`).
 */
export async function createDashboardModule(ctx: PlatformContext): Promise<PlatformModule> {
  return { name: 'dashboard', routes: [...analyticsRoutes(ctx.core), ...forecastRoutes(ctx.core)] };
}
