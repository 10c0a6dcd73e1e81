from . import activcrea_slot_wizard
from . import activcrea_planning
from . import activcrea_assignment
from . import activcrea_assignment_line
from . import activcrea_assignment_proposal
from . import activcrea_tariff_overview
from . import activcrea_invoice_preview
from . import account_resequence_wizard
