from . import test_configuration
from . import test_security
from . import test_planning
from . import test_import
from . import test_enrolment
from . import test_tour
from . import test_french
from . import test_ui_flows
