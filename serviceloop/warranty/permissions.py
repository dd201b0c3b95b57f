"""Who may do what with warranty (三包) claims (R-5.6); rows join the one table in
core.permissions.

- view: everybody inside the company, and agents for their own customers (the scope is
  applied by the selectors, core.permissions.scope_by_customer);
- create: whoever takes the claim from the customer (Sales, service engineers, agents) and
  Quality Management, who inspects the returned part;
- change: correct a claim's facts and costs, add photos and files (the same people);
- override: set aside the rule's decision or remedy with a recorded reason (Quality
  Management, Sales leadership);
- approve: accept or decline a decided claim, or reopen it (Quality Management, Sales
  leadership);
- settle: record the remedy carried out and the costs booked, close a claim (Sales, who own
  settlement per R-3.2, and Quality Management);
- import: bulk import from XLSX/CSV (Sales, Quality Management);
- export: the claims register as XLSX.
"""

from serviceloop.core.permissions import EVERYONE, register_actions
from serviceloop.core.roles import RoleCode as R

TAKERS = frozenset({R.SALES, R.SALES_LEADER, R.SERVICE_ENGINEER, R.AGENT, R.QUALITY, R.ADMIN})
REVIEWERS = frozenset({R.QUALITY, R.SALES_LEADER, R.ADMIN})

register_actions(
    {
        "warranty.view": EVERYONE,
        "warranty.create": TAKERS,
        "warranty.change": TAKERS,
        "warranty.override": REVIEWERS,
        "warranty.approve": REVIEWERS,
        "warranty.settle": frozenset({R.SALES, R.SALES_LEADER, R.QUALITY, R.ADMIN}),
        "warranty.import": frozenset({R.SALES, R.QUALITY, R.ADMIN}),
        "warranty.export": EVERYONE - {R.SERVICE_ENGINEER},
    }
)
