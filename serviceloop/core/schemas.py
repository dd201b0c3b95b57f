"""Output-schema bases shared by the apps' API schemas (issue 8, item 7).

A schema whose first fields are one of these blocks inherits it instead of repeating it; the
fields come first, in the same order, so the answers and the OpenAPI document are unchanged::

    class RoutingOut(DepartmentRowOut):  # id, department, department_name, then its own
        instruction: str
"""

from ninja import Field, Schema


class DepartmentRowOut(Schema):
    """A row addressed to one department (a routing of `core.routing`): its id, the
    department's id and its name."""

    id: int
    department: int = Field(alias="department_id")
    department_name: str

    @staticmethod
    def resolve_department_name(obj) -> str:
        return str(obj.department)


class DepartmentCodeOut(Schema):
    """A department's part in a record (a copy, an evaluation): the department by its code,
    and its name."""

    department: str
    department_name: str

    @staticmethod
    def resolve_department(obj) -> str:
        return obj.department.code

    @staticmethod
    def resolve_department_name(obj) -> str:
        return str(obj.department)


class StoredFileOut(Schema):
    """An uploaded file kept with a record (an attachment): what it is, not its bytes."""

    id: int
    original_name: str
    content_type: str
    size: int
    sha256: str
    description: str


class CustomerNameOut(Schema):
    """Answers the `customer_name` field a schema declares (where it lists it) with the name of
    the record's customer. Only the resolver: the field keeps its place in the schema."""

    @staticmethod
    def resolve_customer_name(obj) -> str:
        return obj.customer.name
