import compression from 'compression';
import express, { type Express } from 'express';
import { parseJsonBody } from './jsonBody.ts';
import { NotFoundError } from '../errors.ts';
import type { Logger } from '../logger.ts';
import type { LiveProfiling } from '../profiling/startLiveProfiling.ts';
import type { RecommendationProvider } from '../recommendations/recommendation.ts';
import type { TaskService } from '../tasks/taskService.ts';
import type { UserService } from '../users/userService.ts';
import { authenticate } from './auth.ts';
import { errorHandler } from './errorHandler.ts';
import { requestLog } from './requestLog.ts';
import { requestProfiling } from './requestProfiling.ts';
import { adminPageRoutes } from './routes/adminPageRoutes.ts';
import { healthRoutes, type ReadinessChecks } from './routes/healthRoutes.ts';
import { metricsRoutes } from './routes/metricsRoutes.ts';
import { profilingRoutes } from './routes/profilingRoutes.ts';
import { recommendationRoutes } from './routes/recommendationRoutes.ts';
import { taskRoutes } from './routes/taskRoutes.ts';
import { userRoutes } from './routes/userRoutes.ts';

export interface AppDependencies {
  logger: Logger;
  adminToken: string;
  bodyLimitBytes: number;
  users: UserService;
  tasks: TaskService;
  recommendations: RecommendationProvider;
  readinessChecks: ReadinessChecks;
  /** The slow request log, automatic profiles and the history behind the admin endpoints and page. */
  profiling: LiveProfiling;
}

/** The Express application: middleware, routes and the error handler, with every dependency passed in. */
export function createApp(deps: AppDependencies): Express {
  const app = express();
  app.disable('x-powered-by');
  app.set('query parser', 'simple');
  app.use(requestProfiling(deps.profiling));
  app.use(requestLog(deps.logger));
  app.use(compression());
  app.use(parseJsonBody(deps.bodyLimitBytes));

  const auth = authenticate(deps.users, deps.adminToken);
  app.use(healthRoutes(deps.readinessChecks));
  app.use(userRoutes(deps.users));
  app.use(taskRoutes(deps.tasks, auth));
  app.use(recommendationRoutes(deps.recommendations, auth));
  app.use(metricsRoutes(deps.profiling, auth));
  app.use(profilingRoutes(deps.profiling, auth));
  app.use(adminPageRoutes());

  app.use((req) => {
    throw new NotFoundError(`No route for ${req.method} ${req.path}`);
  });
  app.use(errorHandler(deps.logger));
  return app;
}
