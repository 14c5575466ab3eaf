"""The taper wizard: current regimen, approach, dispensing, review.

One QWizardPage subclass per page, each in its own module; `planning` turns
the pages' fields into the engine's inputs and files each problem under the
page where it is fixed; `step_model` shows the plan's steps in the review."""

from taperdesk.ui.wizard.wizard import TaperWizard

__all__ = ["TaperWizard"]
