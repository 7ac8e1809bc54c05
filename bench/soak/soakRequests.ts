import type autocannon from 'autocannon';

/** What one connection remembers between its requests: the task it created last. */
interface SoakContext {
  taskId?: number;
}

/** Points a request at the task its connection created. */
function atOwnTask(request: autocannon.Request, context: object): autocannon.Request {
  request.path = `/api/tasks/${(context as SoakContext).taskId}`;
  return request;
}

/**
 * One round of the soak's mixed load, sent by each connection in turn: a task is created, read, updated and deleted
 * again (so the tables stay the same size however long the soak runs), between the list (whole and filtered by tag
 * and status) and recommendations.
 */
export function soakRequests(): autocannon.Request[] {
  return [
    {
      method: 'POST',
      path: '/api/tasks',
      body: JSON.stringify({ title: 'soak task', description: 'created, read, updated, deleted', tags: ['jazz', 'soak'] }),
      onResponse: (status, body, context) => {
        if (status === 201) (context as SoakContext).taskId = (JSON.parse(body) as { id: number }).id;
      },
    },
    { method: 'GET', setupRequest: atOwnTask },
    { method: 'PATCH', body: JSON.stringify({ status: 'done', tags: ['jazz', 'rock'] }), setupRequest: atOwnTask },
    { method: 'GET', path: '/api/tasks?limit=20' },
    { method: 'GET', path: '/api/tasks?limit=20&tag=jazz&status=done' },
    { method: 'GET', path: '/api/recommendations' },
    { method: 'DELETE', setupRequest: atOwnTask },
  ];
}
