"""The Celery broker transport: kombu's Redis transport, made to survive a broker restart.

When Redis goes away while the worker holds unacknowledged messages (a sweep scheduled a
minute ahead, say), the worker closes its broken connection and kombu tries to put those
messages back in the queue. By then the connection has already detached the transport from
its connection details, so building a Redis client raised AttributeError ('NoneType' object
has no attribute 'hostname'); that error is not a connection error, so the worker stopped
for good. This channel keeps the connection details it was opened with and uses them for
that last restore.

Usually Redis is still down at that moment, so the restore fails. Left alone, the messages
would wait in Redis's unacked set for the visibility timeout (over an hour, to fit the
longest import) while the worker has already dropped them. So the tags that could not be
restored are remembered, and the next channel this process opens (the worker reconnecting)
puts them back in their queue at once. Only this process's own messages are restored, never
another worker's. A task that was running when the connection dropped may then run a second
time: every task of the project is idempotent (a job that is no longer queued is not run
again; a sweep writes only differences).

Selected by CELERY_BROKER_TRANSPORT in mtss/settings.py; the broker URL stays redis://.
"""

from __future__ import annotations

import logging
from typing import Any

from kombu.transport import redis as kombu_redis

logger = logging.getLogger(__name__)

# Messages this process held when its broker connection dropped and could not put back
# then: delivery tag -> (payload, exchange, routing key). The payload is kept too because a
# Redis restarted without persistence has lost its copy.
_unrestored: dict[str, tuple[Any, str, str]] = {}


class QoS(kombu_redis.QoS):
    def restore_unacked(self, client: Any = None) -> None:
        held = {
            str(tag): (
                message._raw,
                message.delivery_info.get("exchange", ""),
                message.delivery_info.get("routing_key", ""),
            )
            for tag, message in self._delivered.items()
        }
        try:
            super().restore_unacked(client)
        except Exception:
            _unrestored.update(held)
            self._delivered.clear()
            raise


class Channel(kombu_redis.Channel):
    QoS = QoS

    def __init__(self, connection: Any, *args: Any, **kwargs: Any) -> None:
        self._opened_with = connection.client
        super().__init__(connection, *args, **kwargs)
        if _unrestored:
            self._restore_remembered()

    def _restore_remembered(self) -> None:
        held = dict(_unrestored)
        try:
            with self.conn_or_acquire() as client:
                for tag, (payload, exchange, routing_key) in held.items():
                    if client.hexists(self.unacked_key, tag):
                        self.qos.restore_by_tag(tag, client=client, leftmost=True)
                    else:  # Redis lost it (restarted empty): queue our own copy
                        with client.pipeline() as pipe:
                            self._do_restore_message(payload, exchange, routing_key, pipe, True)
                            pipe.execute()
                    _unrestored.pop(tag, None)
        except Exception:  # still unreachable: the next channel tries again
            logger.warning("could not yet restore %s unacknowledged messages", len(held))
        else:
            logger.warning(
                "restored %s messages held when the broker connection dropped", len(held)
            )

    def _connparams(self, asynchronous: bool = False) -> dict[str, Any]:
        transport = self.connection
        if transport.client is not None or self._opened_with is None:
            return super()._connparams(asynchronous=asynchronous)
        transport.client = self._opened_with
        try:
            return super()._connparams(asynchronous=asynchronous)
        finally:
            transport.client = None


class Transport(kombu_redis.Transport):
    Channel = Channel
