"""The fixed roles and the default departments of SJ/QP-021 (names editable later).

Seeded by migration core/0002 and again, idempotently, after every `migrate` (post_migrate), so a
database built without migrations (the SQLite test suite) or flushed (transactional tests) holds
them too."""

ROLE_NAMES = {
    "sales": ("销售", "Sales"),
    "quality": ("质管部", "Quality Management"),
    "production_quality": ("生产质量部", "Production Quality"),
    "production": ("生产部", "Production"),
    "technical": ("技术部", "Technical"),
    "rnd": ("规划研发部", "Planning & R&D"),
    "purchasing": ("采购供应部", "Purchasing & Supply"),
    "warehouse": ("成品库", "Finished-goods warehouse"),
    "service_engineer": ("服务人员", "Service engineer"),
    "agent": ("代理商", "Agent"),
    "dept_head": ("部门负责人", "Department head"),
    "sales_leader": ("销售主管领导", "Sales leadership"),
    "company_leader": ("公司主管领导", "Company leadership"),
    "mgmt_rep": ("管理者代表", "Management Representative"),
    "general_manager": ("总经理", "General Manager"),
    "admin": ("系统管理员", "Administrator"),
}

DEPARTMENTS = [
    ("sales", "销售部", "Sales Dept"),
    ("rnd", "规划研发部", "Planning & R&D"),
    ("production_quality", "生产质量部", "Production Quality"),
    ("quality", "质管部", "Quality Management"),
    ("production", "生产部", "Production"),
    ("technical", "技术部", "Technical"),
    ("purchasing", "采购供应部", "Purchasing & Supply"),
    ("warehouse", "成品库", "Finished-goods warehouse"),
    ("management", "公司领导", "Company management"),
]


def seed_roles_and_departments(apps, using: str = "default") -> None:
    """Create the missing roles and departments; names already edited are kept."""
    Role = apps.get_model("core", "Role")
    Department = apps.get_model("core", "Department")
    for code, (zh, en) in ROLE_NAMES.items():
        Role.objects.using(using).get_or_create(code=code, defaults={"name_zh": zh, "name_en": en})
    for code, zh, en in DEPARTMENTS:
        Department.objects.using(using).get_or_create(
            code=code, defaults={"name_zh": zh, "name_en": en}
        )
