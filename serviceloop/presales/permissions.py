"""Who may do what in pre-sale service and order follow-up (R-5.1.1–5.1.3, R-5.2.1, R-5.2.5,
roles per R-4): Sales applies and concludes; R&D, Production Quality and Purchasing evaluate;
the departments concerned approve samples and Production Quality makes them; department heads
decide special requests; sales leadership sees what is late."""

from serviceloop.core.permissions import EVERYONE, INTERNAL, LEADERS, SALES_SIDE, register_actions
from serviceloop.core.roles import RoleCode as R

EVALUATORS = frozenset({R.RND, R.PRODUCTION_QUALITY, R.PURCHASING, R.DEPT_HEAD, R.ADMIN})
APPROVERS = frozenset(
    {R.TECHNICAL, R.PRODUCTION_QUALITY, R.QUALITY, R.RND, R.PRODUCTION, R.DEPT_HEAD, R.ADMIN}
)
PROVIDERS = frozenset({R.TECHNICAL, R.QUALITY, R.PRODUCTION_QUALITY, R.DEPT_HEAD, R.ADMIN})

register_actions(
    {
        "requirement.view": INTERNAL,
        "requirement.create": SALES_SIDE,
        "requirement.evaluate": EVALUATORS,
        "requirement.conclude": SALES_SIDE,
        "requirement.attach": SALES_SIDE | EVALUATORS,
        "requirement.export": INTERNAL,
        "sample.view": INTERNAL,
        "sample.create": SALES_SIDE,
        "sample.approve": APPROVERS,
        "sample.make": frozenset({R.PRODUCTION_QUALITY, R.DEPT_HEAD, R.ADMIN}),
        "sample.deliver": SALES_SIDE,
        "special.view": INTERNAL,
        "special.create": SALES_SIDE,
        "special.decide": frozenset({R.DEPT_HEAD, R.ADMIN}),
        "special.fulfil": PROVIDERS,
        "special.explain": SALES_SIDE,
        "order.view": INTERNAL | {R.AGENT},
        "order.change": SALES_SIDE,
        "order.progress": SALES_SIDE | {R.PRODUCTION, R.PRODUCTION_QUALITY, R.WAREHOUSE},
        "order.route": SALES_SIDE,
        "order.acknowledge": INTERNAL,
        "order.import": SALES_SIDE,
        "order.export": EVERYONE - {R.SERVICE_ENGINEER},
        "result.view": INTERNAL,
        "result.create": SALES_SIDE,
        "presales.leadership": LEADERS | {R.DEPT_HEAD, R.ADMIN},
    }
)
