"""Permission-matrix rows of the customer archive (see core/tests/test_permission_matrix.py).

API rows: (method, OpenAPI path) -> (action or None, body builder); path placeholders are
filled from `w` by name (`{customer_id}` -> w["customer_id"]). UI rows: URL name ->
(action or None, method, args builder). EXPORTS: URL name -> action for `?export=xlsx`.
"""

from serviceloop.core.testing.factories import AgreementFactory, ContactFactory, CustomerFactory


def build(w: dict) -> None:
    customer = CustomerFactory(agent=w["agency"], tier="retail")
    w.update(
        customer=customer,
        contact=ContactFactory(customer=customer),
        agreement=AgreementFactory(customer=customer),
    )
    w.update(customer_id=customer.pk, agreement_id=w["agreement"].pk)


API = {
    ("get", "/api/v1/customers/"): ("customer.view", lambda w: None),
    ("post", "/api/v1/customers/"): (
        "customer.create",
        lambda w: {"code": "NEW1", "name": "新客户", "tier": "retail"},
    ),
    ("get", "/api/v1/customers/{customer_id}"): ("customer.view", lambda w: None),
    ("patch", "/api/v1/customers/{customer_id}"): ("customer.change", lambda w: {"city": "武汉"}),
    ("post", "/api/v1/customers/{customer_id}/contacts"): (
        "customer.change",
        lambda w: {"name": "钱华"},
    ),
    ("get", "/api/v1/service-agreements/"): ("agreement.view", lambda w: None),
    ("post", "/api/v1/service-agreements/"): (
        "agreement.change",
        lambda w: {
            "customer": w["customer"].pk,
            "valid_from": "2020-01-01",
            "valid_to": "2020-12-31",
        },
    ),
    ("get", "/api/v1/service-agreements/{agreement_id}"): ("agreement.view", lambda w: None),
    ("patch", "/api/v1/service-agreements/{agreement_id}"): (
        "agreement.change",
        lambda w: {"notes": "n"},
    ),
}
UI = {
    "customers:list": ("customer.view", "get", lambda w: []),
    "customers:create": ("customer.create", "get", lambda w: []),
    "customers:detail": ("customer.view", "get", lambda w: [w["customer"].pk]),
    "customers:edit": ("customer.change", "get", lambda w: [w["customer"].pk]),
    "customers:contact_create": ("customer.change", "get", lambda w: [w["customer"].pk]),
    "customers:contact_edit": ("customer.change", "get", lambda w: [w["contact"].pk]),
    "customers:contact_options": ("customer.view", "get", lambda w: []),
    "customers:agreement_list": ("agreement.view", "get", lambda w: []),
    "customers:agreement_create": ("agreement.change", "get", lambda w: [w["customer"].pk]),
    "customers:agreement_edit": ("agreement.change", "get", lambda w: [w["agreement"].pk]),
}
EXPORTS = {"customers:list": "customer.export"}


# The exact status each allowed call answers in the matrix world (issue 17); a dict gives
# {role: status, "*": status} where roles meet different rules. A 4xx is the rule the world
# meets, quoted in the comment above the row (the world's state, or a record of another
# person or department); test_permission_matrix_declared makes every allowed call declare one.
EXPECT = {
    ("get", "/api/v1/customers/"): 200,
    ("post", "/api/v1/customers/"): 201,
    ("get", "/api/v1/customers/{customer_id}"): 200,
    ("patch", "/api/v1/customers/{customer_id}"): 200,
    ("post", "/api/v1/customers/{customer_id}/contacts"): 201,
    ("get", "/api/v1/service-agreements/"): 200,
    ("post", "/api/v1/service-agreements/"): 201,
    ("get", "/api/v1/service-agreements/{agreement_id}"): 200,
    ("patch", "/api/v1/service-agreements/{agreement_id}"): 200,
}
# Pages: a GET answers 200 (302 where the page sends on); the matrix POSTs no form, so a
# POST that needs fields answers 400 (the form's errors) and one that needs none acts and
# redirects (302).
UI_EXPECT = {
    "customers:list": 200,
    "customers:create": 200,
    "customers:detail": 200,
    "customers:edit": 200,
    "customers:contact_create": 200,
    "customers:contact_edit": 200,
    "customers:agreement_list": 200,
    "customers:agreement_create": 200,
    "customers:agreement_edit": 200,
    "customers:contact_options": 200,
}
